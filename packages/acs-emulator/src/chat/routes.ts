// The 16 Chat operations (api-version 2025-03-15), one module per resource under ./resources, and
// the dispatch of `/chat/threads/**` to them. Each mutation: authorise → validate → decide the
// change as a journal record → append (durable) → apply → publish events → answer.
import { AcsHttpError, type EmulatorRequest, type EmulatorResponse } from "../http/types";
import type { ChatDeps } from "../modules";
import type { EventHub } from "./events";
import { checkApiVersion } from "./requests";
import { createChatRouteContext } from "./resources/context";
import { createMessageRoutes } from "./resources/messages";
import { createParticipantRoutes } from "./resources/participants";
import { createReadReceiptRoutes } from "./resources/read-receipts";
import { createThreadRoutes } from "./resources/threads";
import { createTypingRoutes } from "./resources/typing";
import type { ChatState } from "./state";

export function createChatRoutes(deps: ChatDeps, state: ChatState, hub: EventHub) {
  const ctx = createChatRouteContext(deps, state, hub);
  return {
    ...createThreadRoutes(ctx),
    ...createMessageRoutes(ctx),
    ...createParticipantRoutes(ctx),
    ...createTypingRoutes(ctx),
    ...createReadReceiptRoutes(ctx),
    authenticate: ctx.authenticate,
    threadFor: ctx.threadFor,
    checkApiVersion,
  };
}

export type ChatRoutes = ReturnType<typeof createChatRoutes>;

export const methodNotAllowed = (request: EmulatorRequest) =>
  new AcsHttpError(
    405,
    "MethodNotAllowed",
    `${request.method} is not supported on ${request.url.pathname}.`,
  );

/** Dispatches `/chat/…` (path split into decoded segments) to its operation. */
export async function routeChat(
  routes: ChatRoutes,
  request: EmulatorRequest,
  path: string[],
): Promise<EmulatorResponse> {
  const { method } = request;
  const [, , threadId, collection, item, extra] = path;
  if (path[1] !== "threads") {
    throw new AcsHttpError(404, "NotFound", `No chat route for ${method} ${request.url.pathname}.`);
  }
  checkApiVersion(request);
  if (threadId === undefined) {
    if (method === "POST") return routes.createThread(request);
    if (method === "GET") return routes.listThreads(request);
    throw methodNotAllowed(request);
  }
  if (extra !== undefined)
    throw new AcsHttpError(404, "NotFound", `No chat route for ${request.url.pathname}.`);
  if (collection === undefined) {
    if (method === "GET") return routes.getThread(request, threadId);
    if (method === "PATCH") return routes.updateThread(request, threadId);
    if (method === "DELETE") return routes.deleteThread(request, threadId);
    throw methodNotAllowed(request);
  }
  switch (collection) {
    case "messages":
      if (item === undefined) {
        if (method === "POST") return routes.sendMessage(request, threadId);
        if (method === "GET") return routes.listMessages(request, threadId);
      } else {
        if (method === "GET") return routes.getMessage(request, threadId, item);
        if (method === "PATCH") return routes.updateMessage(request, threadId, item);
        if (method === "DELETE") return routes.deleteMessage(request, threadId, item);
      }
      throw methodNotAllowed(request);
    case "participants":
      if (item === undefined && method === "GET") return routes.listParticipants(request, threadId);
      if (item === ":add" && method === "POST") return routes.addParticipants(request, threadId);
      if (item === ":remove" && method === "POST")
        return routes.removeParticipant(request, threadId);
      throw methodNotAllowed(request);
    case "typing":
      if (item === undefined && method === "POST") return routes.sendTyping(request, threadId);
      throw methodNotAllowed(request);
    case "readReceipts":
      if (item === undefined && method === "POST") return routes.sendReadReceipt(request, threadId);
      if (item === undefined && method === "GET") return routes.listReadReceipts(request, threadId);
      throw methodNotAllowed(request);
    default:
      throw new AcsHttpError(404, "NotFound", `No chat route for ${request.url.pathname}.`);
  }
}
