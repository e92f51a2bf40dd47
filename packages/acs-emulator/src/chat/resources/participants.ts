// Chat participants: list (skip paging), add (up to the thread limit) and remove.
import type { EmulatorRequest, EmulatorResponse } from "../../http/types";
import { participantJson } from "../model";
import { nextLink, nonNegativeInt, pageSize } from "../paging";
import {
  addParticipantsSchema,
  badRequest,
  communicationUserId,
  identifierSchema,
  MAX_PARTICIPANTS,
  parseBody,
} from "../requests";
import type { ChatRouteContext } from "./context";
import { participantEvent } from "./event-payloads";
import { resolveParticipants } from "./resolve-participants";

export function createParticipantRoutes(ctx: ChatRouteContext) {
  const { deps, state } = ctx;

  async function listParticipants(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await ctx.authenticate(request, "read");
    const thread = ctx.threadFor(threadId, user.acsUserId);
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
    const user = await ctx.authenticate(request, "manageParticipants");
    const thread = ctx.threadFor(threadId, user.acsUserId);
    const body = parseBody(request, addParticipantsSchema);
    const { valid, invalid } = resolveParticipants(body.participants, deps.identityExists);
    const newcomers = valid.filter((p) => !thread.participants.has(p.id)).length;
    if (thread.participants.size + newcomers > MAX_PARTICIPANTS) {
      throw badRequest(
        `A chat thread can have at most ${MAX_PARTICIPANTS} participants; it has ${thread.participants.size} and ${newcomers} would be added.`,
      );
    }
    if (valid.length > 0) {
      const now = deps.now();
      const message = ctx.systemMessage(state.allocateSequence(thread), "participantAdded", now, {
        participants: valid,
        initiatorId: user.acsUserId,
      });
      await ctx.commit("chat.participants.added", now, {
        threadId,
        participants: valid,
        message,
        version: state.allocateId(now),
      });
      ctx.publish("participantsAdded", threadId, thread.participants.keys(), {
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
    const user = await ctx.authenticate(request, "manageParticipants");
    const thread = ctx.threadFor(threadId, user.acsUserId);
    const identifier = parseBody(request, identifierSchema);
    const target = communicationUserId(identifier);
    if (!target)
      throw badRequest("The participant to remove must be a communication user identifier.");
    const removed = thread.participants.get(target);
    if (!removed) return { status: 204 };
    const audience = [...thread.participants.keys()];
    const now = deps.now();
    const message = ctx.systemMessage(state.allocateSequence(thread), "participantRemoved", now, {
      participants: [removed],
      initiatorId: user.acsUserId,
    });
    const remover = thread.participants.get(user.acsUserId) ?? { id: user.acsUserId };
    await ctx.commit("chat.participant.removed", now, {
      threadId,
      participantId: target,
      message,
      version: state.allocateId(now),
    });
    ctx.publish("participantsRemoved", threadId, audience, {
      version: thread.version,
      removedOn: now.toISOString(),
      participantsRemoved: [participantEvent(removed)],
      removedBy: participantEvent(remover),
    });
    return { status: 204 };
  }

  return { listParticipants, addParticipants, removeParticipant };
}
