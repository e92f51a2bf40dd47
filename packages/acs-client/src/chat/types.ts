// The chat session's public types: one message view and one event type, whatever the source
// (emulator event stream, ACS realtime notifications, polling).

export type MessageStatus = "pending" | "sent" | "failed";

export interface ChatMessageView {
  /** Server message id, or `local:<clientMessageId>` while the message is in the outbox. */
  readonly id: string;
  /** Our id for a message this client (or another session of the same code) sent: `metadata.clientMessageId`. */
  readonly clientMessageId?: string;
  readonly sequenceId?: string;
  readonly version?: string;
  readonly type: string;
  readonly content: string;
  readonly senderId?: string;
  /**
   * Who sent it, as the thread's participant list names `senderId`; kept current as participants
   * change. Your own name for your messages; `UNKNOWN_PARTICIPANT_NAME` when the sender is not (or
   * no longer) a participant, or in events of a thread that is not open. Show this one.
   */
  readonly senderName: string;
  /** The name the sender chose for this message: anyone can claim any name. Never show it as the sender. */
  readonly senderDisplayName?: string;
  readonly createdOn: Date;
  readonly editedOn?: Date;
  readonly deletedOn?: Date;
  readonly metadata: Readonly<Record<string, string>>;
  /** Sent by the session's own user. */
  readonly mine: boolean;
  readonly status: MessageStatus;
  /** Why the last send attempt failed (status "failed", or a pending retry). */
  readonly error?: unknown;
  /** Other participants whose latest read receipt is at or after this message. */
  readonly readBy: readonly string[];
}

export interface ParticipantView {
  readonly acsUserId: string;
  readonly displayName?: string;
}

export interface ReadReceiptView {
  readonly acsUserId: string;
  readonly messageId: string;
  readonly readOn: Date;
}

export interface TypingUserView {
  readonly acsUserId: string;
  /** As the participant list names `acsUserId` (see `ChatMessageView.senderName`). Show this one. */
  readonly name: string;
  /** The name the sender chose: never show it as who is typing. */
  readonly displayName?: string;
  readonly receivedOn: Date;
}

export interface ChatThreadSummary {
  readonly id: string;
  readonly topic: string;
  readonly lastMessageReceivedOn?: Date;
  readonly deletedOn?: Date;
}

export type ChatSessionEvent =
  | {
      readonly kind: "messageReceived";
      readonly threadId: string;
      readonly message: ChatMessageView;
    }
  | { readonly kind: "messageEdited"; readonly threadId: string; readonly message: ChatMessageView }
  | {
      readonly kind: "messageDeleted";
      readonly threadId: string;
      readonly messageId: string;
      readonly deletedOn: Date;
    }
  | { readonly kind: "typing"; readonly threadId: string; readonly user: TypingUserView }
  | { readonly kind: "readReceipt"; readonly threadId: string; readonly receipt: ReadReceiptView }
  | { readonly kind: "threadCreated"; readonly threadId: string; readonly topic: string }
  | { readonly kind: "threadUpdated"; readonly threadId: string; readonly topic?: string }
  | { readonly kind: "threadDeleted"; readonly threadId: string }
  | {
      readonly kind: "participantsAdded";
      readonly threadId: string;
      readonly participants: readonly ParticipantView[];
    }
  | {
      readonly kind: "participantsRemoved";
      readonly threadId: string;
      readonly participants: readonly ParticipantView[];
    };

/**
 * `live`: push (event stream or realtime notifications) is connected.
 * `polling`: push is not available here; polling works.
 * `reconnecting`: push dropped and is being re-established (polling fills the gap).
 * `offline`: neither push nor polling reaches the service.
 */
export type ConnectionState = "live" | "polling" | "reconnecting" | "offline";

export type EventSourceKind = "auto" | "emulator-events" | "realtime" | "polling";
