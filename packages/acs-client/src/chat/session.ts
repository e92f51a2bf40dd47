// A chat session for one ACS user: the official ChatClient (loaded with dynamic import) with our
// pipeline policies, the open threads, and one typed event stream fed by one event source (the
// emulator's event stream or ACS realtime notifications, each in events/) with polling as the
// fallback. This file wires them together; each part lives in its own module.
import type { ChatClientOptions, ChatThreadClient } from "@azure/communication-chat";
import { backoffDelay } from "../token/backoff";
import type { AcsTokenCredential } from "../token/types";
import { ChatClients } from "./chat-clients";
import { isLoopbackEmulatorEndpoint } from "./emulator-loopback-policy";
import { ConnectionStateTracker } from "./events/connection-state";
import { runEmulatorEventStream } from "./events/emulator-stream";
import { ChatEventDispatcher } from "./events/event-dispatcher";
import { isStopError } from "./events/event-loop-context";
import type { EventLoopContext } from "./events/event-loop-context";
import { runPolling } from "./events/polling";
import { runRealtimeNotifications } from "./events/realtime";
import { SessionLifetime } from "./events/session-lifetime";
import { ChatThread } from "./thread";
import type { ChatThreadHandle } from "./thread";
import type {
  ChatSessionEvent,
  ChatThreadSummary,
  ConnectionState,
  EventSourceKind,
} from "./types";

export interface ChatSessionOptions {
  credential: Pick<AcsTokenCredential, "getToken" | "forceRefresh" | "getSnapshot" | "dispose">;
  /** ACS (or emulator) endpoint, from the token response. */
  endpoint: string;
  /** From the token response: the endpoint is the local acs-emulator. */
  emulator: boolean;
  acsUserId: string;
  displayName: string;
  /** Extra ChatClient options (Node: `tlsOptions: { ca }`, `retryOptions`). Our policies are appended. */
  pipelineOptions?: ChatClientOptions;
  /**
   * Send chat calls and the event stream to a loopback emulator over plain HTTP (same port).
   * Default: true in a browser (it cannot trust the emulator's CA), false elsewhere.
   */
  loopbackHttp?: boolean;
  /** Where events come from. "auto": emulator → its event stream; browser → realtime; else polling. */
  events?: EventSourceKind;
  /** fetch for the emulator event stream (Node over HTTPS needs one that trusts the emulator's CA). */
  fetch?: typeof fetch;
  /** Poll interval while push is not connected. Default 2 000 ms. */
  pollIntervalMs?: number;
  historyPageSize?: number;
  /**
   * Backoff for reconnects and outbox retries (full jitter): retry n waits up to
   * min(maxMs, initialMs·2^(n−1)). Default { 250, 10 000 }.
   */
  retry?: { initialMs: number; maxMs: number };
  /** Client message ids. Default crypto.randomUUID. */
  newId?: () => string;
}

export interface StartChatInput {
  topic: string;
  participants: readonly { acsUserId: string; displayName?: string }[];
  /** Same key → same thread (sent as the SDK's idempotencyToken / repeatability-request-id). */
  idempotencyKey: string;
}

export interface ChatSession {
  readonly acsUserId: string;
  startChat(input: StartChatInput): Promise<{ threadId: string }>;
  /** Opens (or returns the already open) thread and loads its newest page of history. */
  openThread(threadId: string): Promise<ChatThreadHandle>;
  listThreads(): Promise<ChatThreadSummary[]>;
  /**
   * The official SDK's client for one thread, with our policies (one per thread, shared with the
   * open thread): for reading a thread without opening it (the inbox's newest page, receipts).
   */
  threadClient(threadId: string): ChatThreadClient;
  /** One typed stream of every event, whatever the source; returns the unsubscribe function. */
  onEvent(listener: (event: ChatSessionEvent) => void): () => void;
  /** Bound functions (safe to pass to useSyncExternalStore). */
  getConnectionState: () => ConnectionState;
  onConnectionState: (listener: (state: ConnectionState) => void) => () => void;
  /** The source in use after "auto" was resolved. */
  readonly eventSource: Exclude<EventSourceKind, "auto">;
  close(): Promise<void>;
}

/** "auto": the emulator → its event stream; a browser → ACS realtime; anything else → polling. */
function resolveEventSource(
  requested: EventSourceKind,
  emulator: boolean,
  inBrowser: boolean,
): Exclude<EventSourceKind, "auto"> {
  if (requested !== "auto") return requested;
  return emulator ? "emulator-events" : inBrowser ? "realtime" : "polling";
}

export async function createChatSession(options: ChatSessionOptions): Promise<ChatSession> {
  // Loaded on demand: keeps the SDK out of the initial bundle and off the server render path.
  const { ChatClient } = await import("@azure/communication-chat");
  const inBrowser = typeof window !== "undefined";
  const loopbackHttp =
    (options.loopbackHttp ?? inBrowser) &&
    isLoopbackEmulatorEndpoint(options.endpoint, options.emulator);
  const retry = options.retry ?? { initialMs: 250, maxMs: 10_000 };
  const newId = options.newId ?? (() => crypto.randomUUID());
  const eventSource = resolveEventSource(options.events ?? "auto", options.emulator, inBrowser);

  const lifetime = new SessionLifetime();
  const connection = new ConnectionStateTracker(eventSource);
  const threads = new Map<string, ChatThread>();
  const events = new ChatEventDispatcher(options.acsUserId, (threadId) => threads.get(threadId));
  const clients = new ChatClients({
    ChatClient,
    endpoint: options.endpoint,
    emulator: options.emulator,
    credential: options.credential,
    pipelineOptions: options.pipelineOptions,
    loopbackHttp,
  });

  const retryDelay = (attempt: number) => backoffDelay(attempt, retry, Math.random);

  function threadFor(threadId: string): ChatThread {
    let thread = threads.get(threadId);
    if (!thread) {
      thread = new ChatThread({
        threadId,
        selfId: options.acsUserId,
        displayName: options.displayName,
        client: () => Promise.resolve(clients.threadClient(threadId)),
        sendClient: () => Promise.resolve(clients.threadClient(threadId, clients.sendClient)),
        emit: events.emit,
        newId,
        clockSkewMs: () => options.credential.getSnapshot().clockSkewMs,
        retryDelay,
        sleep: (ms) => lifetime.sleep(ms),
        isClosed: () => lifetime.closed,
        historyPageSize: options.historyPageSize ?? 50,
      });
      threads.set(threadId, thread);
    }
    return thread;
  }

  async function syncOpenThreads(members: boolean): Promise<boolean> {
    let ok = true;
    for (const thread of [...threads.values()]) {
      try {
        await thread.sync({ members });
      } catch (error) {
        if (isStopError(error)) throw error;
        ok = false;
      }
    }
    return ok;
  }

  const context: EventLoopContext = {
    lifetime,
    connection,
    dispatch: events.dispatch,
    syncOpenThreads,
    retryDelay,
  };
  const loops: Promise<void>[] = [runPolling(context, options.pollIntervalMs ?? 2_000)];
  if (eventSource === "emulator-events")
    loops.push(
      runEmulatorEventStream(context, {
        endpoint: options.endpoint,
        loopbackHttp,
        credential: options.credential,
        fetch:
          options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init)),
      }),
    );
  if (eventSource === "realtime") loops.push(runRealtimeNotifications(context, clients));
  // The loops catch their own failures; this keeps any surprise from becoming unhandled.
  const running = Promise.all(loops.map((loop) => loop.catch(() => undefined)));

  return {
    acsUserId: options.acsUserId,
    eventSource,

    async startChat(input) {
      const self = { acsUserId: options.acsUserId, displayName: options.displayName };
      const everyone = [
        self,
        ...input.participants.filter((p) => p.acsUserId !== options.acsUserId),
      ];
      const result = await clients.current().createChatThread(
        { topic: input.topic },
        {
          participants: everyone.map((p) => ({
            id: { communicationUserId: p.acsUserId },
            displayName: p.displayName,
          })),
          idempotencyToken: input.idempotencyKey,
        },
      );
      const threadId = result.chatThread?.id;
      if (!threadId) {
        const reasons = (result.invalidParticipants ?? []).map((e) => e.message).join("; ");
        throw new Error(`The chat could not be created${reasons ? `: ${reasons}` : "."}`);
      }
      return { threadId };
    },

    async openThread(threadId) {
      const thread = threadFor(threadId);
      await thread.load();
      return thread;
    },

    async listThreads() {
      const out: ChatThreadSummary[] = [];
      for await (const t of clients.current().listChatThreads()) {
        out.push({
          id: t.id,
          topic: t.topic,
          lastMessageReceivedOn: t.lastMessageReceivedOn,
          deletedOn: t.deletedOn,
        });
      }
      return out;
    },

    threadClient: (threadId) => clients.threadClient(threadId),

    onEvent: (listener) => events.subscribe(listener),

    getConnectionState: connection.get,

    onConnectionState: connection.subscribe,

    async close() {
      if (!lifetime.close()) return;
      for (const thread of threads.values()) thread.dispose();
      if (eventSource === "realtime")
        await clients
          .current()
          .stopRealtimeNotifications()
          .catch(() => undefined);
      await running;
      events.clear();
      connection.clear();
    },
  };
}
