// Reads the emulator's event stream (GET /emulator/chat/events) with fetch, frame by frame, keeping
// the raw text too, so a test can assert that a string never crossed the wire.
export interface SseEvent {
  readonly id: number;
  readonly event: string;
  readonly data: Record<string, unknown>;
}

export interface SseStream {
  readonly status: number;
  readonly events: SseEvent[];
  /** Every byte received, decoded. */
  raw(): string;
  /** Resolves once a frame with this comment (e.g. "connected") arrived. */
  comment(text: string): Promise<void>;
  /** Resolves with the first event that matches; rejects if the stream ends first. */
  waitFor(matches: (event: SseEvent) => boolean): Promise<SseEvent>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export async function openEventStream(
  httpEndpoint: string,
  options: { token: string; lastEventId?: number; threadId?: string },
): Promise<SseStream> {
  const controller = new AbortController();
  const url = new URL("emulator/chat/events", httpEndpoint);
  if (options.threadId !== undefined) url.searchParams.set("threadId", options.threadId);
  const response = await fetch(url, {
    headers: {
      authorization: `Bearer ${options.token}`,
      ...(options.lastEventId !== undefined && { "last-event-id": String(options.lastEventId) }),
    },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let text = "";
  let done = false;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  const until = <T>(ready: () => T | undefined, what: string) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = ready();
        if (value !== undefined) {
          listeners.delete(check);
          resolve(value);
        } else if (done) {
          listeners.delete(check);
          reject(
            new Error(
              `stream ended before ${what}; events: ${events.map((e) => e.event).join(",")}`,
            ),
          );
        }
      };
      listeners.add(check);
      check();
    });
  const ended = (async () => {
    if (!response.body || response.status !== 200) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { done: finished, value } = await reader.read();
        if (finished) break;
        const chunk = decoder.decode(value, { stream: true });
        text += chunk;
        buffer += chunk;
        buffer = readSseFrames(buffer, events, comments);
        notify();
      }
    } catch {
      // aborted by close()
    } finally {
      done = true;
      notify();
    }
  })();
  if (response.status !== 200) await response.body?.cancel();
  return {
    status: response.status,
    events,
    raw: () => text,
    comment: async (wanted) => {
      await until(() => (comments.includes(wanted) ? true : undefined), wanted);
    },
    waitFor: (matches) => until(() => events.find(matches), "the awaited event"),
    ended,
    close: () => controller.abort(),
  };
}

/**
 * Moves every complete frame of `buffer` into `events` (frames with an `event:` field) and
 * `comments` (`:` lines); returns what is left, the start of a frame still arriving.
 */
export function readSseFrames(buffer: string, events: SseEvent[], comments: string[]): string {
  let rest = buffer;
  let end: number;
  while ((end = rest.indexOf("\n\n")) >= 0) {
    const frame = rest.slice(0, end);
    rest = rest.slice(end + 2);
    const fields: Record<string, string> = {};
    for (const line of frame.split("\n")) {
      if (line.startsWith(":")) comments.push(line.slice(1).trim());
      else {
        const colon = line.indexOf(":");
        fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
      }
    }
    if (fields.event) {
      events.push({
        id: Number(fields.id),
        event: fields.event,
        data: JSON.parse(fields.data ?? "{}") as Record<string, unknown>,
      });
    }
  }
  return rest;
}
