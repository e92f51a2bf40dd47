// Chat messages: send, get, list (newest first), edit and delete (by their sender only).
import type { EmulatorRequest, EmulatorResponse } from "../../http/types";
import {
  messageJson,
  USER_MESSAGE_TYPES,
  visibleTo,
  type MessageState,
  type ThreadState,
} from "../model";
import { encodeSyncState, nextLink, pageSize, readSyncState, startTime } from "../paging";
import {
  badRequest,
  MAX_MESSAGE_CONTENT_BYTES,
  parseBody,
  sendMessageSchema,
  updateMessageSchema,
} from "../requests";
import { forbidden, notFound, visibleMessage } from "./access";
import type { ChatRouteContext } from "./context";
import { messageEvent, senderName } from "./event-payloads";
import { threadLocation } from "./location";
import { applyMetadataPatch } from "./metadata-patch";

function checkContentSize(content: string): void {
  const bytes = Buffer.byteLength(content, "utf8");
  if (bytes > MAX_MESSAGE_CONTENT_BYTES) {
    throw badRequest(
      `The message content is ${bytes} bytes; the maximum is ${MAX_MESSAGE_CONTENT_BYTES} bytes (28 KB).`,
    );
  }
}

/** A visible user message the caller sent: only its sender may change it, system messages never. */
function ownUserMessage(thread: ThreadState, userId: string, messageId: string): MessageState {
  const message = visibleMessage(thread, userId, messageId);
  if (!USER_MESSAGE_TYPES.includes(message.type))
    throw forbidden("System messages cannot be changed.");
  if (message.senderId !== userId) throw forbidden("Only the sender of a message can change it.");
  return message;
}

export function createMessageRoutes(ctx: ChatRouteContext) {
  const { deps, state } = ctx;

  async function sendMessage(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await ctx.authenticate(request, "read");
    const thread = ctx.threadFor(threadId, user.acsUserId);
    const body = parseBody(request, sendMessageSchema);
    checkContentSize(body.content);
    const now = deps.now();
    const id = state.allocateId(now);
    const displayName = senderName(thread, user.acsUserId, body.senderDisplayName);
    const message: MessageState = {
      id,
      type: body.type ?? "text",
      sequenceId: state.allocateSequence(thread),
      version: id,
      content: { message: body.content },
      ...(displayName !== "" && { senderDisplayName: displayName }),
      createdOn: now.toISOString(),
      senderId: user.acsUserId,
      ...(body.metadata !== undefined && { metadata: body.metadata }),
    };
    await ctx.commit("chat.message.sent", now, { threadId, message });
    ctx.publish(
      "chatMessageReceived",
      threadId,
      thread.participants.keys(),
      messageEvent(thread, message),
    );
    return {
      status: 201,
      headers: { location: `${threadLocation(request, threadId)}/messages/${id}` },
      json: { id },
    };
  }

  async function getMessage(
    request: EmulatorRequest,
    threadId: string,
    messageId: string,
  ): Promise<EmulatorResponse> {
    const user = await ctx.authenticate(request, "read");
    const thread = ctx.threadFor(threadId, user.acsUserId);
    return { status: 200, json: messageJson(visibleMessage(thread, user.acsUserId, messageId)) };
  }

  async function listMessages(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await ctx.authenticate(request, "read");
    const thread = ctx.threadFor(threadId, user.acsUserId);
    const size = pageSize(request);
    const since = startTime(request);
    const before = readSyncState(request)?.before ?? Number.POSITIVE_INFINITY;
    const page: MessageState[] = [];
    let more = false;
    // Newest first, like ACS: descending sequenceId.
    for (let i = thread.messages.length - 1; i >= 0; i -= 1) {
      const m = thread.messages[i];
      if (!m || m.sequenceId >= before || !visibleTo(thread, user.acsUserId, m)) continue;
      if (since !== undefined && Date.parse(m.createdOn) < since) continue;
      if (page.length === size) {
        more = true;
        break;
      }
      page.push(m);
    }
    const last = page.at(-1);
    return {
      status: 200,
      json: {
        value: page.map(messageJson),
        ...(more &&
          last && {
            nextLink: nextLink(request, {
              syncState: encodeSyncState({ before: last.sequenceId }),
              maxPageSize: String(size),
              startTime: since === undefined ? undefined : new Date(since).toISOString(),
            }),
          }),
      },
    };
  }

  async function updateMessage(
    request: EmulatorRequest,
    threadId: string,
    messageId: string,
  ): Promise<EmulatorResponse> {
    const user = await ctx.authenticate(request, "read");
    const thread = ctx.threadFor(threadId, user.acsUserId);
    const message = ownUserMessage(thread, user.acsUserId, messageId);
    if (message.deletedOn !== undefined) throw notFound(`Message '${messageId}' was deleted.`);
    const body = parseBody(request, updateMessageSchema);
    if (body.content !== undefined) checkContentSize(body.content);
    const now = deps.now();
    const metadata =
      body.metadata === undefined ? undefined : applyMetadataPatch(message.metadata, body.metadata);
    await ctx.commit("chat.message.updated", now, {
      threadId,
      messageId,
      ...(body.content !== undefined && { content: body.content }),
      ...(metadata !== undefined && { metadata }),
      editedOn: now.toISOString(),
      version: state.allocateId(now),
    });
    ctx.publish("chatMessageEdited", threadId, thread.participants.keys(), {
      ...messageEvent(thread, message),
      editedOn: now.toISOString(),
    });
    return { status: 204 };
  }

  async function deleteMessage(
    request: EmulatorRequest,
    threadId: string,
    messageId: string,
  ): Promise<EmulatorResponse> {
    const user = await ctx.authenticate(request, "read");
    const thread = ctx.threadFor(threadId, user.acsUserId);
    const message = ownUserMessage(thread, user.acsUserId, messageId);
    if (message.deletedOn !== undefined) return { status: 204 };
    const now = deps.now();
    await ctx.commit("chat.message.deleted", now, {
      threadId,
      messageId,
      deletedOn: now.toISOString(),
      version: state.allocateId(now),
    });
    const { message: _content, metadata: _metadata, ...base } = messageEvent(thread, message);
    ctx.publish("chatMessageDeleted", threadId, thread.participants.keys(), {
      ...base,
      deletedOn: now.toISOString(),
    });
    return { status: 204 };
  }

  return { sendMessage, getMessage, listMessages, updateMessage, deleteMessage };
}
