// Maps what the SDK's REST calls, its realtime notifications and the emulator's event stream
// return onto our views. Realtime events and the emulator's SSE data share one shape (the SDK's
// event types; dates are Date objects from the SDK and ISO strings from SSE).
import type { ChatMessage, ChatParticipant } from "@azure/communication-chat";
import type { ChatMessageView, ParticipantView } from "./types";

type Json = Record<string, unknown>;

/** Shown for a sender the participant list does not name (not, or no longer, a participant). */
export const UNKNOWN_PARTICIPANT_NAME = "Unknown participant";

/**
 * The name to show for `senderId`: the participant list's name, your own name for your own
 * messages, otherwise `UNKNOWN_PARTICIPANT_NAME`. Never a name the sender chose for a message.
 */
export function senderNameOf(
  senderId: string | undefined,
  participants: ReadonlyMap<string, ParticipantView>,
  self: { acsUserId: string; displayName: string },
): string {
  if (senderId !== undefined && senderId === self.acsUserId) return self.displayName;
  const listed = senderId === undefined ? undefined : participants.get(senderId)?.displayName;
  return listed ? listed : UNKNOWN_PARTICIPANT_NAME;
}

/** The rawId / communicationUserId of an identifier, whichever form it comes in. */
export function identifierId(identifier: unknown): string | undefined {
  if (typeof identifier !== "object" || identifier === null) return undefined;
  const i = identifier as {
    communicationUserId?: unknown;
    rawId?: unknown;
    id?: unknown;
    communicationUser?: { id?: unknown };
  };
  for (const candidate of [i.communicationUserId, i.rawId, i.communicationUser?.id, i.id]) {
    if (typeof candidate === "string") return candidate;
  }
  return undefined;
}

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === "string" || typeof value === "number") {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

export function messageFromSdk(message: ChatMessage, selfId: string): ChatMessageView {
  const metadata = stringRecord(message.metadata);
  const senderId = identifierId(message.sender);
  return {
    id: message.id,
    clientMessageId: metadata.clientMessageId,
    sequenceId: message.sequenceId,
    version: message.version,
    type: message.type,
    content: message.content?.message ?? message.content?.topic ?? "",
    senderId,
    // Resolved against the participant list by the open thread (ChatThread.getState).
    senderName: UNKNOWN_PARTICIPANT_NAME,
    senderDisplayName: message.senderDisplayName,
    createdOn: message.createdOn,
    editedOn: message.editedOn,
    deletedOn: message.deletedOn,
    metadata,
    mine: senderId === selfId,
    status: "sent",
    readBy: [],
  };
}

/** chatMessageReceived / Edited / Deleted event data (SDK realtime event or emulator SSE JSON). */
export function messageFromEvent(data: Json, selfId: string): ChatMessageView | undefined {
  const id = data.id;
  const createdOn = toDate(data.createdOn);
  if (typeof id !== "string" || !createdOn) return undefined;
  const metadata = stringRecord(data.metadata);
  const senderId = identifierId(data.sender);
  return {
    id,
    clientMessageId: metadata.clientMessageId,
    version: typeof data.version === "string" ? data.version : undefined,
    type: typeof data.type === "string" ? data.type : "text",
    content: typeof data.message === "string" ? data.message : "",
    senderId,
    senderName: UNKNOWN_PARTICIPANT_NAME,
    senderDisplayName:
      typeof data.senderDisplayName === "string" ? data.senderDisplayName : undefined,
    createdOn,
    editedOn: toDate(data.editedOn),
    deletedOn: toDate(data.deletedOn),
    metadata,
    mine: senderId === selfId,
    status: "sent",
    readBy: [],
  };
}

export function participantFromSdk(p: ChatParticipant): ParticipantView | undefined {
  const acsUserId = identifierId(p.id);
  return acsUserId === undefined ? undefined : { acsUserId, displayName: p.displayName };
}

export function participantsFromEvent(value: unknown): ParticipantView[] {
  if (!Array.isArray(value)) return [];
  const out: ParticipantView[] = [];
  for (const p of value as Json[]) {
    const acsUserId = identifierId(p.id);
    if (acsUserId !== undefined) {
      out.push({
        acsUserId,
        displayName: typeof p.displayName === "string" ? p.displayName : undefined,
      });
    }
  }
  return out;
}

export { toDate };
