// The chat SDK's thread events the session applies, named and typed by the SDK itself
// (`ChatEventId`), so a misspelled or removed name fails the typecheck. The emulator's event stream
// sends the same names (test/chat-event-names.test.ts compares its list with this one).
import type { ChatEventId } from "@azure/communication-chat";

/** The SDK's realtime transport reports its own connection with these; they concern no thread. */
export type ChatConnectionEventName = Extract<
  ChatEventId,
  "realTimeNotificationConnected" | "realTimeNotificationDisconnected"
>;

/** An event about a thread: its messages, typing, receipts, participants or properties. */
export type ChatThreadEventName = Exclude<ChatEventId, ChatConnectionEventName>;

export const CHAT_THREAD_EVENTS = [
  "chatMessageReceived",
  "chatMessageEdited",
  "chatMessageDeleted",
  "typingIndicatorReceived",
  "readReceiptReceived",
  "chatThreadCreated",
  "chatThreadPropertiesUpdated",
  "chatThreadDeleted",
  "participantsAdded",
  "participantsRemoved",
] as const satisfies readonly ChatThreadEventName[];

// Every thread event the SDK knows is in the list: a new one fails here until the list has it.
type Unlisted = Exclude<ChatThreadEventName, (typeof CHAT_THREAD_EVENTS)[number]>;
const everyThreadEventListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyThreadEventListed;

const THREAD_EVENT_NAMES: ReadonlySet<string> = new Set(CHAT_THREAD_EVENTS);

/** For names from the wire (the emulator's stream): true when the session applies `name`. */
export function isChatThreadEventName(name: string): name is ChatThreadEventName {
  return THREAD_EVENT_NAMES.has(name);
}
