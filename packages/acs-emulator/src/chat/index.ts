// The emulator's Chat API (api-version 2025-03-15) and its emulator-only event stream:
// routing, the realtime-config answer and `GET /emulator/chat/events`.
import { AcsHttpError, type EmulatorRequest, type EmulatorResponse } from "../http/types";
import type { ChatApi, ChatDeps } from "../modules";
import { createEventHub, type EventHub } from "./events";
import { badRequest, requestPath } from "./requests";
import { createChatRoutes, methodNotAllowed, routeChat, type ChatRoutes } from "./routes";
import { chatRecord, ChatState } from "./state";

export { CHAT_EVENT_KINDS, type ChatEventKind } from "./events";
export { CHAT_API_VERSION, MAX_MESSAGE_CONTENT_BYTES, MAX_PARTICIPANTS } from "./requests";

export interface ChatApiOptions {
  /** Keep-alive comment interval of the event stream (default 15 s). */
  readonly pingIntervalMs?: number;
  /** How many recent events are kept for `Last-Event-ID` resume (default 2000). */
  readonly eventBufferSize?: number;
}

function segmentsOf(request: EmulatorRequest): string[] | undefined {
  try {
    return requestPath(request)
      .split("/")
      .filter((s) => s.length > 0)
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

async function openEventStream(
  routes: ChatRoutes,
  hub: EventHub,
  deps: ChatDeps,
  request: EmulatorRequest,
): Promise<EmulatorResponse> {
  if (request.method !== "GET") throw methodNotAllowed(request);
  const query = request.url.searchParams;
  const credential = request.headers.authorization ?? query.get("access_token") ?? undefined;
  // Read before the token is verified: a revocation while it is checked is caught at subscribe.
  const closeCountBefore = hub.closeCount();
  const fakeRequest = { ...request, headers: { ...request.headers, authorization: credential } };
  const user = await routes.authenticate(fakeRequest, "read");
  const threadId = query.get("threadId") ?? undefined;
  if (threadId !== undefined) routes.threadFor(threadId, user.acsUserId);
  const rawLastId = request.headers["last-event-id"] ?? query.get("lastEventId") ?? undefined;
  let lastEventId: number | undefined;
  if (rawLastId !== undefined && rawLastId !== "") {
    lastEventId = Number(rawLastId);
    if (!Number.isSafeInteger(lastEventId) || lastEventId < 0)
      throw badRequest("Last-Event-ID must be an event id.");
  }
  const stillAuthorised = async () => {
    try {
      const again = await deps.tokens.verify(credential);
      return deps.identityExists(again.acsUserId);
    } catch {
      return false;
    }
  };
  return {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
    stream: (res) => {
      deps.log.debug("chat event stream opened", { user: user.acsUserId, threadId, lastEventId });
      res.on("close", () => deps.log.debug("chat event stream closed", { user: user.acsUserId }));
      hub.subscribe({
        userId: user.acsUserId,
        threadId,
        lastEventId,
        res,
        stillAuthorised,
        closeCountBefore,
      });
    },
  };
}

export function createChatApi(deps: ChatDeps, options: ChatApiOptions = {}): ChatApi {
  const state = new ChatState();
  const hub = createEventHub({
    now: deps.now,
    threads: state.threads,
    pingIntervalMs: options.pingIntervalMs,
    bufferSize: options.eventBufferSize,
  });
  const routes = createChatRoutes(deps, state, hub);

  return {
    async handle(request) {
      const path = segmentsOf(request);
      if (!path) return undefined;
      if (
        path[0] === "emulator" &&
        path[1] === "chat" &&
        path[2] === "events" &&
        path.length === 3
      ) {
        return openEventStream(routes, hub, deps, request);
      }
      if (path[0] !== "chat") return undefined;
      if (path[1] === "config" && path[2] === "realTimeNotifications") {
        // The SDK's realtime push needs Microsoft's proprietary Trouter service (../shared/docs/acs-wire-facts.md §6).
        throw new AcsHttpError(
          404,
          "RealTimeNotificationsNotSupported",
          "The ACS emulator does not offer Trouter realtime notifications. Subscribe to the emulator event stream " +
            "GET /emulator/chat/events (Server-Sent Events, authorised by the same user token) or poll listMessages.",
        );
      }
      return routeChat(routes, request, path);
    },
    apply: (record) => state.apply(record),
    snapshot: (at) => state.snapshot(at),
    async onIdentityDeleted(acsUserId) {
      const now = deps.now();
      await deps.journal.append(chatRecord("chat.identity.removed", now, { acsUserId }));
      state.apply(chatRecord("chat.identity.removed", now, { acsUserId }));
      hub.closeUser(acsUserId);
    },
    closeEventStreams: (acsUserId) => hub.closeUser(acsUserId),
    close: () => hub.close(),
  };
}
