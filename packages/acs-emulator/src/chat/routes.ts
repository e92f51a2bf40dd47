// The 16 Chat operations (api-version 2025-03-15). Each mutation: authorise → validate → decide
// the change as a journal record → append (durable) → apply → publish events → answer.
import { randomBytes } from "node:crypto";
import { AcsHttpError, type EmulatorRequest, type EmulatorResponse } from "../http/types";
import type { ChatDeps, VerifiedUser } from "../modules";
import type { ChatEventKind, EventHub } from "./events";
import {
  identifierKind,
  identifierModel,
  messageJson,
  participantJson,
  threadItemJson,
  threadJson,
  USER_MESSAGE_TYPES,
  visibleTo,
  type MessageState,
  type ParticipantState,
  type ThreadState,
} from "./model";
import {
  addParticipantsSchema,
  badRequest,
  checkApiVersion,
  communicationUserId,
  createThreadSchema,
  encodeSyncState,
  identifierSchema,
  MAX_MESSAGE_CONTENT_BYTES,
  MAX_PARTICIPANTS,
  nextLink,
  nonNegativeInt,
  pageSize,
  parseBody,
  readReceiptSchema,
  readSyncState,
  sendMessageSchema,
  startTime,
  typingSchema,
  updateMessageSchema,
  updateThreadSchema,
  type ParticipantInput,
} from "./requests";
import { chatRecord, type ChatRecordMap, type ChatRecordType, type ChatState } from "./state";

/** What a token's scopes allow (wire facts §8; ACS scope docs). */
type Action = "read" | "manageThread" | "manageParticipants";

const forbidden = (message: string) => new AcsHttpError(403, "Forbidden", message);
const notFound = (message: string) => new AcsHttpError(404, "NotFound", message);

function authoriseScopes(user: VerifiedUser, action: Action): void {
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

function participantEvent(p: ParticipantState) {
  return {
    id: identifierKind(p.id),
    displayName: p.displayName ?? "",
    ...(p.shareHistoryTime !== undefined && { shareHistoryTime: p.shareHistoryTime }),
    metadata: p.metadata ?? {},
  };
}

function applyPatch(
  current: Record<string, string> | undefined,
  patch: Record<string, string | null> | null | undefined,
) {
  if (patch === undefined) return current;
  if (patch === null) return {};
  const next: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

export function createChatRoutes(deps: ChatDeps, state: ChatState, hub: EventHub) {
  async function commit<K extends ChatRecordType>(
    type: K,
    at: Date,
    data: ChatRecordMap[K],
  ): Promise<void> {
    const record = chatRecord(type, at, data);
    await deps.journal.append(record);
    state.apply(record);
  }

  async function authenticate(request: EmulatorRequest, action: Action): Promise<VerifiedUser> {
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
  }

  /** A live thread the user participates in: 404 when missing or deleted, 403 for non-participants. */
  function threadFor(threadId: string, userId: string): ThreadState {
    const thread = state.threads.get(threadId);
    if (!thread || thread.deletedOn !== undefined)
      throw notFound(`Chat thread '${threadId}' was not found.`);
    if (!thread.participants.has(userId)) {
      throw forbidden(`The user is not a participant of chat thread '${threadId}'.`);
    }
    return thread;
  }

  function senderName(thread: ThreadState, userId: string, given?: string): string {
    return given ?? thread.participants.get(userId)?.displayName ?? "";
  }

  function publish(
    kind: ChatEventKind,
    threadId: string,
    audience: Iterable<string>,
    data: Record<string, unknown>,
  ) {
    hub.publish(kind, threadId, audience, data);
  }

  /** Splits requested participants into valid ones (existing communication users) and ACS-style errors. */
  function resolveParticipants(inputs: readonly ParticipantInput[]) {
    const valid = new Map<string, ParticipantState>();
    const invalid: { code: string; message: string; target: string }[] = [];
    for (const input of inputs) {
      const id = communicationUserId(input.communicationIdentifier);
      const target =
        input.communicationIdentifier.rawId ??
        input.communicationIdentifier.communicationUser?.id ??
        "";
      if (!id) {
        invalid.push({
          code: "BadRequest",
          message: "Only communication users can join emulated chat threads.",
          target,
        });
      } else if (!deps.identityExists(id)) {
        invalid.push({
          code: "NotFound",
          message: `The identity '${id}' does not exist.`,
          target: id,
        });
      } else {
        valid.set(id, {
          id,
          ...(input.displayName !== undefined && { displayName: input.displayName }),
          ...(input.shareHistoryTime !== undefined && {
            shareHistoryTime: new Date(input.shareHistoryTime).toISOString(),
          }),
          ...(input.metadata !== undefined && { metadata: input.metadata }),
        });
      }
    }
    return { valid: [...valid.values()], invalid };
  }

  function systemMessage(
    sequenceId: number,
    type: MessageState["type"],
    now: Date,
    content: MessageState["content"],
  ): MessageState {
    const id = state.allocateId(now);
    return { id, type, sequenceId, version: id, createdOn: now.toISOString(), content };
  }

  /** ACS's Location: colon escaped, `@` kept (chat-1.4.0-beta.2 …creates_a_thread.json, …sends_a_message.json). */
  function locationOf(request: EmulatorRequest, threadId: string): string {
    const thread = encodeURIComponent(threadId).replace(/%40/g, "@");
    return `https://${request.headers.host ?? request.url.host}/chat/threads/${thread}`;
  }

  // ---- threads -------------------------------------------------------------------------------

  /** Creates still being journaled, so a concurrent repeat waits for the first instead of running again. */
  const pendingCreates = new Map<string, Promise<EmulatorResponse>>();

  async function createThread(request: EmulatorRequest): Promise<EmulatorResponse> {
    const user = await authenticate(request, "manageThread");
    const body = parseBody(request, createThreadSchema);
    const requestId = request.headers["repeatability-request-id"];
    const repeatabilityKey = `${user.acsUserId}|${requestId ?? randomBytes(16).toString("hex")}`;
    const replay = state.repeatability.get(repeatabilityKey);
    if (replay) {
      return {
        status: 201,
        headers: { location: locationOf(request, replay.threadId) },
        json: replay.response,
      };
    }
    const pending = pendingCreates.get(repeatabilityKey);
    if (pending) return pending;
    const creating = executeCreate(request, user, body, repeatabilityKey);
    pendingCreates.set(repeatabilityKey, creating);
    try {
      return await creating;
    } finally {
      pendingCreates.delete(repeatabilityKey);
    }
  }

  async function executeCreate(
    request: EmulatorRequest,
    user: VerifiedUser,
    body: ReturnType<typeof createThreadSchema.parse>,
    repeatabilityKey: string,
  ): Promise<EmulatorResponse> {
    const { valid, invalid } = resolveParticipants(body.participants ?? []);
    const creator = valid.find((p) => p.id === user.acsUserId) ?? { id: user.acsUserId };
    const participants = [creator, ...valid.filter((p) => p.id !== user.acsUserId)];
    if (participants.length > MAX_PARTICIPANTS) {
      throw badRequest(`A chat thread can have at most ${MAX_PARTICIPANTS} participants.`);
    }
    const now = deps.now();
    const threadId = `19:acsemu_${randomBytes(16).toString("hex")}@thread.v2`;
    const thread = {
      id: threadId,
      topic: body.topic,
      createdOn: now.toISOString(),
      createdBy: user.acsUserId,
      ...(body.metadata !== undefined && { metadata: body.metadata }),
      ...(body.retentionPolicy !== undefined && { retentionPolicy: body.retentionPolicy }),
    };
    // Like ACS, a new thread starts with its participantAdded and topicUpdated system messages.
    const messages = [
      systemMessage(1, "participantAdded", now, { participants, initiatorId: user.acsUserId }),
      systemMessage(2, "topicUpdated", now, { topic: body.topic, initiatorId: user.acsUserId }),
    ];
    const response = {
      chatThread: threadJson(thread),
      ...(invalid.length > 0 && { invalidParticipants: invalid }),
    };
    await commit("chat.thread.created", now, {
      thread,
      participants,
      messages,
      repeatabilityKey,
      response,
    });
    const created = state.threads.get(threadId);
    if (created) {
      publish("chatThreadCreated", threadId, created.participants.keys(), {
        version: created.version,
        createdOn: created.createdOn,
        properties: { topic: created.topic, metadata: created.metadata ?? {} },
        participants: participants.map(participantEvent),
        createdBy: participantEvent(creator),
        retentionPolicy: created.retentionPolicy ?? { kind: "none" },
      });
    }
    return { status: 201, headers: { location: locationOf(request, threadId) }, json: response };
  }

  async function listThreads(request: EmulatorRequest): Promise<EmulatorResponse> {
    const user = await authenticate(request, "read");
    const size = pageSize(request);
    const since = startTime(request);
    const offset = readSyncState(request)?.offset ?? 0;
    const activityOrder = (t: ThreadState) =>
      Number(t.deletedOn !== undefined ? t.version : (t.messages.at(-1)?.id ?? 0));
    const activity = (t: ThreadState) =>
      Date.parse(t.deletedOn ?? t.lastMessageReceivedOn ?? t.createdOn);
    const threads = [...state.threads.values()]
      .filter(
        (t) => t.participants.has(user.acsUserId) && (since === undefined || activity(t) >= since),
      )
      // Message ids and versions are strictly increasing, so they order activity even within one millisecond.
      .sort((a, b) => activityOrder(b) - activityOrder(a));
    const page = threads.slice(offset, offset + size);
    const more = offset + size < threads.length;
    return {
      status: 200,
      json: {
        value: page.map(threadItemJson),
        ...(more && {
          nextLink: nextLink(request, {
            syncState: encodeSyncState({ offset: offset + size }),
            maxPageSize: String(size),
            startTime: since === undefined ? undefined : new Date(since).toISOString(),
          }),
        }),
      },
    };
  }

  async function getThread(request: EmulatorRequest, threadId: string): Promise<EmulatorResponse> {
    const user = await authenticate(request, "read");
    return { status: 200, json: threadJson(threadFor(threadId, user.acsUserId)) };
  }

  async function updateThread(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await authenticate(request, "manageThread");
    const thread = threadFor(threadId, user.acsUserId);
    const body = parseBody(request, updateThreadSchema);
    const now = deps.now();
    const topicChanged = body.topic !== undefined && body.topic !== thread.topic;
    const metadata =
      body.metadata === undefined ? undefined : applyPatch(thread.metadata, body.metadata);
    const retentionPolicy =
      body.retentionPolicy === null ? { kind: "none" as const } : body.retentionPolicy;
    const message = topicChanged
      ? systemMessage(state.allocateSequence(thread), "topicUpdated", now, {
          topic: body.topic,
          initiatorId: user.acsUserId,
        })
      : undefined;
    await commit("chat.thread.updated", now, {
      threadId,
      ...(body.topic !== undefined && { topic: body.topic }),
      ...(metadata !== undefined && { metadata }),
      ...(retentionPolicy !== undefined && { retentionPolicy }),
      version: state.allocateId(now),
      ...(message && { message }),
    });
    publish("chatThreadPropertiesUpdated", threadId, thread.participants.keys(), {
      version: thread.version,
      properties: { topic: thread.topic, metadata: thread.metadata ?? {} },
      updatedOn: now.toISOString(),
      updatedBy: participantEvent(
        thread.participants.get(user.acsUserId) ?? { id: user.acsUserId },
      ),
      retentionPolicy: thread.retentionPolicy ?? { kind: "none" },
    });
    return { status: 204 };
  }

  async function deleteThread(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await authenticate(request, "manageThread");
    const existing = state.threads.get(threadId);
    if (existing?.deletedOn !== undefined) return { status: 204 };
    const thread = threadFor(threadId, user.acsUserId);
    const now = deps.now();
    await commit("chat.thread.deleted", now, {
      threadId,
      deletedOn: now.toISOString(),
      version: state.allocateId(now),
    });
    publish("chatThreadDeleted", threadId, thread.participants.keys(), {
      version: thread.version,
      deletedOn: now.toISOString(),
      deletedBy: participantEvent(
        thread.participants.get(user.acsUserId) ?? { id: user.acsUserId },
      ),
      reason: "deleted",
    });
    return { status: 204 };
  }

  // ---- messages ------------------------------------------------------------------------------

  function checkContentSize(content: string): void {
    const bytes = Buffer.byteLength(content, "utf8");
    if (bytes > MAX_MESSAGE_CONTENT_BYTES) {
      throw badRequest(
        `The message content is ${bytes} bytes; the maximum is ${MAX_MESSAGE_CONTENT_BYTES} bytes (28 KB).`,
      );
    }
  }

  function messageEvent(thread: ThreadState, m: MessageState) {
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

  async function sendMessage(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await authenticate(request, "read");
    const thread = threadFor(threadId, user.acsUserId);
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
    await commit("chat.message.sent", now, { threadId, message });
    publish(
      "chatMessageReceived",
      threadId,
      thread.participants.keys(),
      messageEvent(thread, message),
    );
    return {
      status: 201,
      headers: { location: `${locationOf(request, threadId)}/messages/${id}` },
      json: { id },
    };
  }

  function visibleMessage(thread: ThreadState, userId: string, messageId: string): MessageState {
    const message = thread.messagesById.get(messageId);
    if (!message || !visibleTo(thread, userId, message)) {
      throw notFound(`Message '${messageId}' was not found in chat thread '${thread.id}'.`);
    }
    return message;
  }

  async function getMessage(
    request: EmulatorRequest,
    threadId: string,
    messageId: string,
  ): Promise<EmulatorResponse> {
    const user = await authenticate(request, "read");
    const thread = threadFor(threadId, user.acsUserId);
    return { status: 200, json: messageJson(visibleMessage(thread, user.acsUserId, messageId)) };
  }

  async function listMessages(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await authenticate(request, "read");
    const thread = threadFor(threadId, user.acsUserId);
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

  function ownUserMessage(thread: ThreadState, userId: string, messageId: string): MessageState {
    const message = visibleMessage(thread, userId, messageId);
    if (!USER_MESSAGE_TYPES.includes(message.type))
      throw forbidden("System messages cannot be changed.");
    if (message.senderId !== userId) throw forbidden("Only the sender of a message can change it.");
    return message;
  }

  async function updateMessage(
    request: EmulatorRequest,
    threadId: string,
    messageId: string,
  ): Promise<EmulatorResponse> {
    const user = await authenticate(request, "read");
    const thread = threadFor(threadId, user.acsUserId);
    const message = ownUserMessage(thread, user.acsUserId, messageId);
    if (message.deletedOn !== undefined) throw notFound(`Message '${messageId}' was deleted.`);
    const body = parseBody(request, updateMessageSchema);
    if (body.content !== undefined) checkContentSize(body.content);
    const now = deps.now();
    const metadata =
      body.metadata === undefined ? undefined : applyPatch(message.metadata, body.metadata);
    await commit("chat.message.updated", now, {
      threadId,
      messageId,
      ...(body.content !== undefined && { content: body.content }),
      ...(metadata !== undefined && { metadata }),
      editedOn: now.toISOString(),
      version: state.allocateId(now),
    });
    publish("chatMessageEdited", threadId, thread.participants.keys(), {
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
    const user = await authenticate(request, "read");
    const thread = threadFor(threadId, user.acsUserId);
    const message = ownUserMessage(thread, user.acsUserId, messageId);
    if (message.deletedOn !== undefined) return { status: 204 };
    const now = deps.now();
    await commit("chat.message.deleted", now, {
      threadId,
      messageId,
      deletedOn: now.toISOString(),
      version: state.allocateId(now),
    });
    const { message: _content, metadata: _metadata, ...base } = messageEvent(thread, message);
    publish("chatMessageDeleted", threadId, thread.participants.keys(), {
      ...base,
      deletedOn: now.toISOString(),
    });
    return { status: 204 };
  }

  // ---- participants --------------------------------------------------------------------------

  async function listParticipants(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await authenticate(request, "read");
    const thread = threadFor(threadId, user.acsUserId);
    const size = pageSize(request);
    const skip = nonNegativeInt(request, "skip");
    const all = [...thread.participants.values()];
    const more = skip + size < all.length;
    return {
      status: 200,
      json: {
        value: all.slice(skip, skip + size).map(participantJson),
        ...(more && {
          nextLink: nextLink(request, { skip: String(skip + size), maxPageSize: String(size) }),
        }),
      },
    };
  }

  async function addParticipants(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await authenticate(request, "manageParticipants");
    const thread = threadFor(threadId, user.acsUserId);
    const body = parseBody(request, addParticipantsSchema);
    const { valid, invalid } = resolveParticipants(body.participants);
    const newcomers = valid.filter((p) => !thread.participants.has(p.id)).length;
    if (thread.participants.size + newcomers > MAX_PARTICIPANTS) {
      throw badRequest(
        `A chat thread can have at most ${MAX_PARTICIPANTS} participants; it has ${thread.participants.size} and ${newcomers} would be added.`,
      );
    }
    if (valid.length > 0) {
      const now = deps.now();
      const message = systemMessage(state.allocateSequence(thread), "participantAdded", now, {
        participants: valid,
        initiatorId: user.acsUserId,
      });
      await commit("chat.participants.added", now, {
        threadId,
        participants: valid,
        message,
        version: state.allocateId(now),
      });
      publish("participantsAdded", threadId, thread.participants.keys(), {
        version: thread.version,
        addedOn: now.toISOString(),
        participantsAdded: valid.map(participantEvent),
        addedBy: participantEvent(
          thread.participants.get(user.acsUserId) ?? { id: user.acsUserId },
        ),
      });
    }
    return { status: 201, json: invalid.length > 0 ? { invalidParticipants: invalid } : {} };
  }

  async function removeParticipant(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await authenticate(request, "manageParticipants");
    const thread = threadFor(threadId, user.acsUserId);
    const identifier = parseBody(request, identifierSchema);
    const target = communicationUserId(identifier);
    if (!target)
      throw badRequest("The participant to remove must be a communication user identifier.");
    const removed = thread.participants.get(target);
    if (!removed) return { status: 204 };
    const audience = [...thread.participants.keys()];
    const now = deps.now();
    const message = systemMessage(state.allocateSequence(thread), "participantRemoved", now, {
      participants: [removed],
      initiatorId: user.acsUserId,
    });
    const remover = thread.participants.get(user.acsUserId) ?? { id: user.acsUserId };
    await commit("chat.participant.removed", now, {
      threadId,
      participantId: target,
      message,
      version: state.allocateId(now),
    });
    publish("participantsRemoved", threadId, audience, {
      version: thread.version,
      removedOn: now.toISOString(),
      participantsRemoved: [participantEvent(removed)],
      removedBy: participantEvent(remover),
    });
    return { status: 204 };
  }

  // ---- typing and read receipts --------------------------------------------------------------

  async function sendTyping(request: EmulatorRequest, threadId: string): Promise<EmulatorResponse> {
    const user = await authenticate(request, "read");
    const thread = threadFor(threadId, user.acsUserId);
    const body = parseBody(request, typingSchema);
    const now = deps.now();
    const others = [...thread.participants.keys()].filter((id) => id !== user.acsUserId);
    publish("typingIndicatorReceived", threadId, others, {
      sender: identifierKind(user.acsUserId),
      senderDisplayName: senderName(thread, user.acsUserId, body.senderDisplayName),
      version: String(now.getTime()),
      receivedOn: now.toISOString(),
    });
    return { status: 200 };
  }

  async function sendReadReceipt(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await authenticate(request, "read");
    const thread = threadFor(threadId, user.acsUserId);
    const body = parseBody(request, readReceiptSchema);
    const message = visibleMessage(thread, user.acsUserId, body.chatMessageId);
    const now = deps.now();
    await commit("chat.readReceipt.sent", now, {
      threadId,
      userId: user.acsUserId,
      messageId: message.id,
      readOn: now.toISOString(),
    });
    publish("readReceiptReceived", threadId, thread.participants.keys(), {
      sender: identifierKind(user.acsUserId),
      senderDisplayName: senderName(thread, user.acsUserId),
      chatMessageId: message.id,
      readOn: now.toISOString(),
    });
    return { status: 200 };
  }

  async function listReadReceipts(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await authenticate(request, "read");
    const thread = threadFor(threadId, user.acsUserId);
    const size = pageSize(request);
    const skip = nonNegativeInt(request, "skip");
    const all = [...thread.receipts.entries()]
      .filter(([userId]) => thread.participants.has(userId))
      .sort(([, a], [, b]) => Date.parse(b.readOn) - Date.parse(a.readOn));
    const more = skip + size < all.length;
    return {
      status: 200,
      json: {
        value: all.slice(skip, skip + size).map(([userId, r]) => ({
          senderCommunicationIdentifier: identifierModel(userId),
          chatMessageId: r.messageId,
          readOn: r.readOn,
        })),
        ...(more && {
          nextLink: nextLink(request, { skip: String(skip + size), maxPageSize: String(size) }),
        }),
      },
    };
  }

  return {
    createThread,
    listThreads,
    getThread,
    updateThread,
    deleteThread,
    sendMessage,
    getMessage,
    listMessages,
    updateMessage,
    deleteMessage,
    listParticipants,
    addParticipants,
    removeParticipant,
    sendTyping,
    sendReadReceipt,
    listReadReceipts,
    authenticate,
    threadFor,
    checkApiVersion,
  };
}

export type ChatRoutes = ReturnType<typeof createChatRoutes>;
