// How participants and messages appear in published chat events (the SDK's event shapes).
import {
  identifierKind,
  type MessageState,
  type ParticipantState,
  type ThreadState,
} from "../model";

export function participantEvent(p: ParticipantState) {
  return {
    id: identifierKind(p.id),
    displayName: p.displayName ?? "",
    ...(p.shareHistoryTime !== undefined && { shareHistoryTime: p.shareHistoryTime }),
    metadata: p.metadata ?? {},
  };
}

export function messageEvent(thread: ThreadState, m: MessageState) {
  return {
    sender: identifierKind(m.senderId ?? thread.createdBy),
    senderDisplayName: m.senderDisplayName ?? "",
    id: m.id,
    createdOn: m.createdOn,
    version: m.version,
    type: m.type,
    message: m.content?.message ?? "",
    metadata: m.metadata ?? {},
  };
}

/** The display name a user sends under: the one given, else the one they joined the thread with. */
export function senderName(thread: ThreadState, userId: string, given?: string): string {
  return given ?? thread.participants.get(userId)?.displayName ?? "";
}
