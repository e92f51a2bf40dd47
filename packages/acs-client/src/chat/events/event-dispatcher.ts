// Fans one event in the chat SDK's event shape (from ACS realtime notifications or the emulator's
// event stream) out to where it belongs: the open thread it concerns, which announces what is new
// itself, or else straight to the session's listeners as one typed event.
import {
  UNKNOWN_PARTICIPANT_NAME,
  identifierId,
  messageFromEvent,
  participantsFromEvent,
  toDate,
} from "../mapping";
import type { ChatThread } from "../thread";
import type { ChatSessionEvent } from "../types";
import { isChatThreadEventName } from "./chat-event-names";
import type { SdkEventData } from "./event-loop-context";

/** What the dispatcher needs of an open thread. */
export type OpenThreadTarget = Pick<
  ChatThread,
  "applyServerMessages" | "applyDeleted" | "applyTyping" | "applyReceipt" | "applyParticipants"
>;

export class ChatEventDispatcher {
  private readonly listeners = new Set<(event: ChatSessionEvent) => void>();

  constructor(
    private readonly selfId: string,
    private readonly openThread: (threadId: string) => OpenThreadTarget | undefined,
  ) {}

  subscribe(listener: (event: ChatSessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Delivers a typed event to every listener. */
  readonly emit = (event: ChatSessionEvent): void => {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One listener's failure must not stop delivery to the others.
      }
    }
  };

  clear(): void {
    this.listeners.clear();
  }

  /** Applies one event named as the SDK names it (`chatMessageReceived`, …); unknown kinds are ignored. */
  readonly dispatch = (kind: string, data: SdkEventData): void => {
    if (!isChatThreadEventName(kind)) return;
    const threadId = typeof data.threadId === "string" ? data.threadId : undefined;
    if (!threadId) return;
    const open = this.openThread(threadId);
    const emit = this.emit;
    switch (kind) {
      case "chatMessageReceived":
      case "chatMessageEdited": {
        const message = messageFromEvent(data, this.selfId);
        if (!message) return;
        if (open) open.applyServerMessages([message]);
        else
          emit({
            kind: kind === "chatMessageReceived" ? "messageReceived" : "messageEdited",
            threadId,
            message,
          });
        return;
      }
      case "chatMessageDeleted": {
        const messageId = typeof data.id === "string" ? data.id : undefined;
        const deletedOn = toDate(data.deletedOn) ?? new Date();
        if (!messageId) return;
        if (open) open.applyDeleted(messageId, deletedOn);
        else emit({ kind: "messageDeleted", threadId, messageId, deletedOn });
        return;
      }
      case "typingIndicatorReceived": {
        const acsUserId = identifierId(data.sender);
        if (!acsUserId || acsUserId === this.selfId) return;
        const user = {
          acsUserId,
          // Resolved against the participant list by the open thread.
          name: UNKNOWN_PARTICIPANT_NAME,
          displayName:
            typeof data.senderDisplayName === "string" ? data.senderDisplayName : undefined,
          receivedOn: toDate(data.receivedOn) ?? new Date(),
        };
        if (open) open.applyTyping(user);
        else emit({ kind: "typing", threadId, user });
        return;
      }
      case "readReceiptReceived": {
        const acsUserId = identifierId(data.sender);
        const messageId = typeof data.chatMessageId === "string" ? data.chatMessageId : undefined;
        if (!acsUserId || !messageId) return;
        const receipt = { acsUserId, messageId, readOn: toDate(data.readOn) ?? new Date() };
        if (open) open.applyReceipt(receipt);
        else emit({ kind: "readReceipt", threadId, receipt });
        return;
      }
      case "participantsAdded":
      case "participantsRemoved": {
        const list = participantsFromEvent(
          kind === "participantsAdded" ? data.participantsAdded : data.participantsRemoved,
        );
        if (open) open.applyParticipants(kind, list);
        else emit({ kind, threadId, participants: list });
        return;
      }
      case "chatThreadCreated": {
        const properties = data.properties as { topic?: unknown } | undefined;
        emit({
          kind: "threadCreated",
          threadId,
          topic: typeof properties?.topic === "string" ? properties.topic : "",
        });
        return;
      }
      case "chatThreadPropertiesUpdated": {
        const properties = data.properties as { topic?: unknown } | undefined;
        emit({
          kind: "threadUpdated",
          threadId,
          topic: typeof properties?.topic === "string" ? properties.topic : undefined,
        });
        return;
      }
      case "chatThreadDeleted":
        emit({ kind: "threadDeleted", threadId });
        return;
      default:
        // Every name in CHAT_THREAD_EVENTS has its case above.
        kind satisfies never;
    }
  };
}
