// Who may do what in a thread: the caller's token and identity, its scopes, and its participation.
import { AcsHttpError, type EmulatorRequest } from "../../http/types";
import type { ChatDeps, VerifiedUser } from "../../modules";
import { visibleTo, type MessageState, type ThreadState } from "../model";
import type { ChatState } from "../state";

/** What a token's scopes allow (ACS scope docs; ../shared/docs/acs-wire-facts.md §8). */
export type ChatAction = "read" | "manageThread" | "manageParticipants";

export const forbidden = (message: string) => new AcsHttpError(403, "Forbidden", message);
export const notFound = (message: string) => new AcsHttpError(404, "NotFound", message);

export function authoriseScopes(user: VerifiedUser, action: ChatAction): void {
  const scopes = new Set(user.scopes);
  if (scopes.has("chat")) return;
  const join = scopes.has("chat.join");
  const limited = scopes.has("chat.join.limited");
  if (!join && !limited) {
    throw forbidden(
      `The access token's scopes (${user.scopes.join(",") || "none"}) do not allow chat; 'chat' or 'chat.join' is required.`,
    );
  }
  if (action === "manageThread") {
    throw forbidden(
      "A 'chat.join' or 'chat.join.limited' token may not create, update or delete chat threads.",
    );
  }
  if (action === "manageParticipants" && !join) {
    throw forbidden("A 'chat.join.limited' token may not add or remove participants.");
  }
}

/** A message the user may see in the thread: 404 when missing or hidden by its history share. */
export function visibleMessage(
  thread: ThreadState,
  userId: string,
  messageId: string,
): MessageState {
  const message = thread.messagesById.get(messageId);
  if (!message || !visibleTo(thread, userId, message)) {
    throw notFound(`Message '${messageId}' was not found in chat thread '${thread.id}'.`);
  }
  return message;
}

export interface ChatAccess {
  /** The caller's verified user token, whose identity still exists and whose scopes allow `action`. */
  readonly authenticate: (request: EmulatorRequest, action: ChatAction) => Promise<VerifiedUser>;
  /** A live thread the user participates in: 404 when missing or deleted, 403 for non-participants. */
  readonly threadFor: (threadId: string, userId: string) => ThreadState;
}

export function createChatAccess(deps: ChatDeps, state: ChatState): ChatAccess {
  return {
    async authenticate(request, action) {
      const user = await deps.tokens.verify(request.headers.authorization);
      if (!deps.identityExists(user.acsUserId)) {
        throw new AcsHttpError(
          401,
          "InvalidAuthenticationToken",
          "The identity of the access token was deleted.",
        );
      }
      authoriseScopes(user, action);
      return user;
    },
    threadFor(threadId, userId) {
      const thread = state.threads.get(threadId);
      if (!thread || thread.deletedOn !== undefined)
        throw notFound(`Chat thread '${threadId}' was not found.`);
      if (!thread.participants.has(userId)) {
        throw forbidden(`The user is not a participant of chat thread '${threadId}'.`);
      }
      return thread;
    },
  };
}
