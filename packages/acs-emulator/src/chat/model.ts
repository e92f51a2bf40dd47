// Chat state as the emulator keeps it, and its wire shapes (Chat 2025-03-15 JSON models).
// Identities are kept as rawIds (`8:acs:<resourceId>_<suffix>`); only communication users can chat here.

export type RetentionPolicy =
  { kind: "none" } | { kind: "threadCreationDate"; deleteThreadAfterDays: number };

export interface ParticipantState {
  readonly id: string;
  readonly displayName?: string;
  /** ISO; messages created before it are hidden from this participant. */
  readonly shareHistoryTime?: string;
  readonly metadata?: Record<string, string>;
}

export type MessageType =
  "text" | "html" | "topicUpdated" | "participantAdded" | "participantRemoved";

export interface MessageContentState {
  readonly message?: string;
  readonly topic?: string;
  readonly participants?: readonly ParticipantState[];
  readonly initiatorId?: string;
}

export interface MessageState {
  readonly id: string;
  readonly type: MessageType;
  readonly sequenceId: number;
  version: string;
  content?: MessageContentState;
  readonly senderDisplayName?: string;
  readonly createdOn: string;
  readonly senderId?: string;
  deletedOn?: string;
  editedOn?: string;
  metadata?: Record<string, string>;
}

export interface ReadReceiptState {
  readonly messageId: string;
  readonly readOn: string;
}

export interface ThreadState {
  readonly id: string;
  topic: string;
  readonly createdOn: string;
  readonly createdBy: string;
  metadata?: Record<string, string>;
  retentionPolicy?: RetentionPolicy;
  deletedOn?: string;
  version: string;
  lastMessageReceivedOn?: string;
  readonly participants: Map<string, ParticipantState>;
  /** In ascending sequenceId order. */
  readonly messages: MessageState[];
  readonly messagesById: Map<string, MessageState>;
  /** Latest receipt of each participant. */
  readonly receipts: Map<string, ReadReceiptState>;
  lastSequenceId: number;
}

export const USER_MESSAGE_TYPES: readonly MessageType[] = ["text", "html"];

/** CommunicationIdentifierModel as ACS answers it (../shared/docs/acs-wire-facts.md §7). */
export function identifierModel(rawId: string) {
  return { kind: "communicationUser", rawId, communicationUser: { id: rawId } };
}

/** The SDK's CommunicationIdentifierKind, used in event payloads. */
export function identifierKind(rawId: string) {
  return { kind: "communicationUser" as const, communicationUserId: rawId };
}

/** What ACS answers as shareHistoryTime when none was given (chat-1.4.0-beta.2 …lists_participants.json). */
export const NO_SHARE_HISTORY_TIME = "1970-01-01T00:00:00Z";

export function participantJson(p: ParticipantState) {
  return {
    communicationIdentifier: identifierModel(p.id),
    ...(p.displayName !== undefined && { displayName: p.displayName }),
    shareHistoryTime: p.shareHistoryTime ?? NO_SHARE_HISTORY_TIME,
    ...(p.metadata !== undefined && { metadata: p.metadata }),
  };
}

export type ThreadProperties = Pick<
  ThreadState,
  "id" | "topic" | "createdOn" | "createdBy" | "deletedOn" | "metadata" | "retentionPolicy"
>;

export function threadJson(t: ThreadProperties) {
  return {
    id: t.id,
    topic: t.topic,
    createdOn: t.createdOn,
    createdByCommunicationIdentifier: identifierModel(t.createdBy),
    ...(t.deletedOn !== undefined && { deletedOn: t.deletedOn }),
    ...(t.metadata !== undefined && { metadata: t.metadata }),
    ...(t.retentionPolicy !== undefined && { retentionPolicy: t.retentionPolicy }),
  };
}

export function threadItemJson(t: ThreadState) {
  return {
    id: t.id,
    topic: t.topic,
    ...(t.deletedOn !== undefined && { deletedOn: t.deletedOn }),
    ...(t.lastMessageReceivedOn !== undefined && {
      lastMessageReceivedOn: t.lastMessageReceivedOn,
    }),
  };
}

function contentJson(c: MessageContentState, userMessage: boolean) {
  return {
    ...(c.message !== undefined && { message: c.message }),
    ...(userMessage && { attachments: [] }),
    ...(c.topic !== undefined && { topic: c.topic }),
    ...(c.participants !== undefined && { participants: c.participants.map(participantJson) }),
    ...(c.initiatorId !== undefined && {
      initiatorCommunicationIdentifier: identifierModel(c.initiatorId),
    }),
  };
}

/**
 * Like ACS, a user message always carries `senderDisplayName` ("" when none) and
 * `content.attachments` (chat-1.4.0-beta.2 chatthreadclient/…retrieves_a_message.json).
 */
export function messageJson(m: MessageState) {
  const userMessage = USER_MESSAGE_TYPES.includes(m.type);
  return {
    id: m.id,
    type: m.type,
    sequenceId: String(m.sequenceId),
    version: m.version,
    ...(m.content !== undefined && { content: contentJson(m.content, userMessage) }),
    ...((m.senderDisplayName !== undefined || userMessage) && {
      senderDisplayName: m.senderDisplayName ?? "",
    }),
    createdOn: m.createdOn,
    ...(m.senderId !== undefined && { senderCommunicationIdentifier: identifierModel(m.senderId) }),
    ...(m.deletedOn !== undefined && { deletedOn: m.deletedOn }),
    ...(m.editedOn !== undefined && { editedOn: m.editedOn }),
    ...(m.metadata !== undefined && { metadata: m.metadata }),
  };
}

/** Whether `userId` may see `message` (shareHistoryTime hides what came before they joined). */
export function visibleTo(thread: ThreadState, userId: string, message: MessageState): boolean {
  const since = thread.participants.get(userId)?.shareHistoryTime;
  return since === undefined || Date.parse(message.createdOn) >= Date.parse(since);
}
