// Reading a presence watch stream in tests: each read waits for the next event (bounded, so a missing
// event fails the test quickly instead of hanging).
import type { PresenceSnapshot } from "../../src/domain/presence";

const READ_TIMEOUT_MS = 10_000;

export interface WatchReader {
  /** The next event from the stream. */
  next(): Promise<PresenceSnapshot>;
  /** Reads until an event matches, returning it (events before it are skipped). */
  until(match: (event: PresenceSnapshot) => boolean): Promise<PresenceSnapshot>;
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
    async stop() {
      await iterator.return?.(undefined);
    },
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
