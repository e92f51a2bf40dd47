// The emulator's event stream (server-sent events at `emulator/chat/events`): reconnects with
// backoff and `last-event-id`, refreshes the token once on 401, and re-syncs the open threads on
// every (re)connect.
import { readServerSentEvents } from "../sse";
import { isStopError } from "./event-loop-context";
import type { EventLoopContext, SdkEventData } from "./event-loop-context";
import type { AcsTokenCredential } from "../../token/types";

export interface EmulatorStreamOptions {
  readonly endpoint: string;
  /** Talk plain HTTP to a loopback emulator (see emulator-loopback-policy.ts). */
  readonly loopbackHttp: boolean;
  readonly credential: Pick<AcsTokenCredential, "getToken" | "forceRefresh">;
  readonly fetch: typeof fetch;
}

export async function runEmulatorEventStream(
  context: EventLoopContext,
  options: EmulatorStreamOptions,
): Promise<void> {
  const { lifetime, connection, dispatch } = context;
  const base = new URL(options.endpoint);
  if (options.loopbackHttp) base.protocol = "http:";
  const url = new URL("emulator/chat/events", base).toString();
  let lastEventId: string | undefined;
  let failures = 0;
  while (!lifetime.closed) {
    const streamAbort = new AbortController();
    const onClose = () => streamAbort.abort();
    lifetime.signal.addEventListener("abort", onClose, { once: true });
    try {
      const token = await options.credential.getToken();
      const response = await options.fetch(url, {
        headers: {
          authorization: `Bearer ${token.token}`,
          accept: "text/event-stream",
          ...(lastEventId !== undefined && { "last-event-id": lastEventId }),
        },
        signal: streamAbort.signal,
      });
      if (response.status === 401) {
        await response.body?.cancel().catch(() => undefined);
        await options.credential.forceRefresh(token.token);
        throw new Error("event stream: 401");
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        throw new Error(`event stream: HTTP ${response.status}`);
      }
      failures = 0;
      connection.setPushConnected(true, true);
      // Events that arrive while we re-sync are held back, then applied after it, so a thread
      // sees missed messages before newer live ones.
      let held: { kind: string; data: SdkEventData }[] | undefined = [];
      const body = response.body;
      const reading = (async () => {
        for await (const message of readServerSentEvents(body)) {
          if (message.id !== undefined) lastEventId = message.id;
          let data: SdkEventData;
          try {
            data = JSON.parse(message.data) as SdkEventData;
          } catch {
            continue;
          }
          if (held) held.push({ kind: message.event, data });
          else dispatch(message.event, data);
        }
      })();
      // Keep the reader's rejection handled even if the re-sync below throws first.
      const readingDone = reading.then(
        () => undefined,
        (error: unknown) => error,
      );
      try {
        await context.syncOpenThreads(true);
      } finally {
        const pending = held;
        held = undefined;
        for (const e of pending) dispatch(e.kind, e.data);
      }
      const readError = await readingDone;
      if (readError !== undefined && !lifetime.closed)
        throw readError instanceof Error
          ? readError
          : new Error("event stream failed", { cause: readError });
    } catch (error) {
      if (lifetime.closed) break;
      if (isStopError(error)) break;
      failures += 1;
    } finally {
      lifetime.signal.removeEventListener("abort", onClose);
      streamAbort.abort();
      connection.setPushConnected(false);
    }
    if (!lifetime.closed) await lifetime.sleep(context.retryDelay(failures));
  }
}
