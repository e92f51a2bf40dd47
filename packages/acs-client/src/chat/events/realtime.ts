// ACS realtime notifications (browser, real ACS): starts them on the session's ChatClient, forwards
// the SDK's events to the dispatcher, and retries a failed start with backoff.
import type { ChatClient, ChatEventId } from "@azure/communication-chat";
import { CHAT_THREAD_EVENTS } from "./chat-event-names";
import type { EventLoopContext, SdkEventData } from "./event-loop-context";

export interface RealtimeClients {
  /** The session's ChatClient (its calls share the notifications' connection). */
  current(): ChatClient;
  /** A fresh ChatClient with the session's policies. */
  create(): ChatClient;
  /** Makes `client` the session's ChatClient. */
  adopt(client: ChatClient): void;
}

export async function runRealtimeNotifications(
  context: EventLoopContext,
  clients: RealtimeClients,
): Promise<void> {
  const { lifetime, connection, dispatch } = context;
  let failures = 0;
  while (!lifetime.closed) {
    // A failed start is sticky inside the SDK: every attempt needs a fresh ChatClient.
    const candidate = failures === 0 ? clients.current() : clients.create();
    try {
      await candidate.startRealtimeNotifications();
      // One listener type for every event (the SDK declares one overload per event name).
      const on = candidate.on.bind(candidate) as unknown as (
        event: ChatEventId,
        listener: (e: SdkEventData) => void,
      ) => void;
      for (const kind of CHAT_THREAD_EVENTS) on(kind, (e) => dispatch(kind, e));
      on("realTimeNotificationConnected", () => {
        connection.setPushConnected(true);
        void context.syncOpenThreads(true).catch(() => undefined);
      });
      on("realTimeNotificationDisconnected", () => {
        connection.setPushConnected(false);
      });
      clients.adopt(candidate);
      connection.setPushConnected(true);
      await context.syncOpenThreads(true).catch(() => undefined);
      return;
    } catch {
      failures += 1;
      await lifetime.sleep(context.retryDelay(failures));
    }
  }
}
