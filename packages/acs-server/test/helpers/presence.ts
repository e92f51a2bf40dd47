// Reading a presence watch stream in tests: each read waits for the next event (bounded, so a missing
// event fails the test quickly instead of hanging).
import type { PresenceSnapshot } from "../../src/domain/presence";

const READ_TIMEOUT_MS = 10_000;

export interface WatchReader {
  /** The next event from the stream. */
  next(): Promise<PresenceSnapshot>;
  /** Reads until an event matches, returning it (events before it are skipped). */
  until(match: (event: PresenceSnapshot) => boolean): Promise<PresenceSnapshot>;
  /** Waits for the stream to end normally (bounded), failing if an event or an error comes first. */
  ended(): Promise<void>;
  /** Stops the stream (as a client disconnecting). */
  stop(): Promise<void>;
}

export function readWatch(stream: AsyncIterable<PresenceSnapshot>): WatchReader {
  const iterator = stream[Symbol.asyncIterator]();
  async function next(): Promise<PresenceSnapshot> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("no presence event within 10 s")), READ_TIMEOUT_MS);
    });
    try {
      const result = await Promise.race([iterator.next(), timeout]);
      if (result.done) throw new Error("the presence stream ended");
      return result.value;
    } finally {
      clearTimeout(timer);
    }
  }
  return {
    next,
    async until(match) {
      for (;;) {
        const event = await next();
        if (match(event)) return event;
      }
    },
    async ended() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("the stream did not end within 10 s")),
          READ_TIMEOUT_MS,
        );
      });
      try {
        const result = await Promise.race([iterator.next(), timeout]);
        if (!result.done)
          throw new Error(`an event instead of the end: ${JSON.stringify(result.value)}`);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      await iterator.return?.(undefined);
    },
  };
}

export interface SseFrame {
  event: string;
  data: string;
}

/** Reads server-sent events frame by frame from a fetch Response (as an EventSource would). */
export function readSse(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return {
    async next(): Promise<SseFrame> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("no SSE frame within 10 s")), READ_TIMEOUT_MS);
      });
      try {
        for (;;) {
          const end = buffer.indexOf("\n\n");
          if (end >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const lines = frame.split("\n");
            const field = (name: string) =>
              lines
                .filter((l) => l.startsWith(`${name}:`))
                .map((l) => l.slice(name.length + 1).trimStart())
                .join("\n");
            if (lines.every((l) => l.startsWith(":"))) continue; // comment
            return { event: field("event") || "message", data: field("data") };
          }
          const chunk = await Promise.race([reader.read(), timeout]);
          if (chunk.done) throw new Error("the SSE stream ended");
          buffer += chunk.value;
        }
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: () => reader.cancel().catch(() => undefined),
  };
}

/** A clock tests move by hand; services read it through `now`. */
export function manualClock(start = Date.now()) {
  let ms = start;
  return {
    now: () => new Date(ms),
    advance(byMs: number) {
      ms += byMs;
    },
  };
}
