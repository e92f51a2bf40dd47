// Polling: re-syncs the open threads on an interval whenever push is not connected (it runs beside
// the push sources as their fallback). Every fifth round also re-reads participants and receipts.
import { isStopError } from "./event-loop-context";
import type { EventLoopContext } from "./event-loop-context";

export async function runPolling(context: EventLoopContext, intervalMs: number): Promise<void> {
  const { lifetime, connection } = context;
  let round = 0;
  while (!lifetime.closed) {
    await lifetime.sleep(intervalMs);
    if (lifetime.closed || connection.isPushConnected) continue;
    try {
      connection.setPollOk(await context.syncOpenThreads(round++ % 5 === 0));
    } catch (error) {
      connection.setPollOk(false);
      if (isStopError(error)) return;
    }
  }
}
