// Chat threads: create (idempotent per repeatability-request-id), list, get, update, delete.
import { randomBytes } from "node:crypto";
import type { EmulatorRequest, EmulatorResponse } from "../../http/types";
import type { VerifiedUser } from "../../modules";
import { threadItemJson, threadJson, type ThreadState } from "../model";
import { encodeSyncState, nextLink, pageSize, readSyncState, startTime } from "../paging";
import {
  badRequest,
  createThreadSchema,
  MAX_PARTICIPANTS,
  parseBody,
  updateThreadSchema,
} from "../requests";
import type { ChatRouteContext } from "./context";
import { participantEvent } from "./event-payloads";
import { threadLocation } from "./location";
import { applyMetadataPatch } from "./metadata-patch";
import { resolveParticipants } from "./resolve-participants";

export function createThreadRoutes(ctx: ChatRouteContext) {
  const { deps, state } = ctx;

  /** Creates still being journaled, so a concurrent repeat waits for the first instead of running again. */
  const pendingCreates = new Map<string, Promise<EmulatorResponse>>();

  async function createThread(request: EmulatorRequest): Promise<EmulatorResponse> {
    const user = await ctx.authenticate(request, "manageThread");
    const body = parseBody(request, createThreadSchema);
    const requestId = request.headers["repeatability-request-id"];
    const repeatabilityKey = `${user.acsUserId}|${requestId ?? randomBytes(16).toString("hex")}`;
    const replay = state.repeatability.get(repeatabilityKey);
    if (replay) {
      return {
        status: 201,
        headers: { location: threadLocation(request, replay.threadId) },
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
    const { valid, invalid } = resolveParticipants(body.participants ?? [], deps.identityExists);
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
      ctx.systemMessage(1, "participantAdded", now, { participants, initiatorId: user.acsUserId }),
      ctx.systemMessage(2, "topicUpdated", now, { topic: body.topic, initiatorId: user.acsUserId }),
    ];
    const response = {
      chatThread: threadJson(thread),
      ...(invalid.length > 0 && { invalidParticipants: invalid }),
    };
    await ctx.commit("chat.thread.created", now, {
      thread,
      participants,
      messages,
      repeatabilityKey,
      response,
    });
    const created = state.threads.get(threadId);
    if (created) {
      ctx.publish("chatThreadCreated", threadId, created.participants.keys(), {
        version: created.version,
        createdOn: created.createdOn,
        properties: { topic: created.topic, metadata: created.metadata ?? {} },
        participants: participants.map(participantEvent),
        createdBy: participantEvent(creator),
        retentionPolicy: created.retentionPolicy ?? { kind: "none" },
      });
    }
    return {
      status: 201,
      headers: { location: threadLocation(request, threadId) },
      json: response,
    };
  }

  async function listThreads(request: EmulatorRequest): Promise<EmulatorResponse> {
    const user = await ctx.authenticate(request, "read");
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
    const user = await ctx.authenticate(request, "read");
    return { status: 200, json: threadJson(ctx.threadFor(threadId, user.acsUserId)) };
  }

  async function updateThread(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await ctx.authenticate(request, "manageThread");
    const thread = ctx.threadFor(threadId, user.acsUserId);
    const body = parseBody(request, updateThreadSchema);
    const now = deps.now();
    const topicChanged = body.topic !== undefined && body.topic !== thread.topic;
    const metadata =
      body.metadata === undefined ? undefined : applyMetadataPatch(thread.metadata, body.metadata);
    const retentionPolicy =
      body.retentionPolicy === null ? { kind: "none" as const } : body.retentionPolicy;
    const message = topicChanged
      ? ctx.systemMessage(state.allocateSequence(thread), "topicUpdated", now, {
          topic: body.topic,
          initiatorId: user.acsUserId,
        })
      : undefined;
    await ctx.commit("chat.thread.updated", now, {
      threadId,
      ...(body.topic !== undefined && { topic: body.topic }),
      ...(metadata !== undefined && { metadata }),
      ...(retentionPolicy !== undefined && { retentionPolicy }),
      version: state.allocateId(now),
      ...(message && { message }),
    });
    ctx.publish("chatThreadPropertiesUpdated", threadId, thread.participants.keys(), {
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
    const user = await ctx.authenticate(request, "manageThread");
    const existing = state.threads.get(threadId);
    if (existing?.deletedOn !== undefined) return { status: 204 };
    const thread = ctx.threadFor(threadId, user.acsUserId);
    const now = deps.now();
    await ctx.commit("chat.thread.deleted", now, {
      threadId,
      deletedOn: now.toISOString(),
      version: state.allocateId(now),
    });
    ctx.publish("chatThreadDeleted", threadId, thread.participants.keys(), {
      version: thread.version,
      deletedOn: now.toISOString(),
      deletedBy: participantEvent(
        thread.participants.get(user.acsUserId) ?? { id: user.acsUserId },
      ),
      reason: "deleted",
    });
    return { status: 204 };
  }

  return { createThread, listThreads, getThread, updateThread, deleteThread };
}
