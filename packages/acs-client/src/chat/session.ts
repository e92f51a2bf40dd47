// A chat session for one ACS user: the official ChatClient (loaded with dynamic import), our
// pipeline policies, one typed event stream fed by the emulator's SSE stream, ACS realtime
// notifications or polling, and the open threads.
import type { ChatClient, ChatClientOptions, ChatThreadClient } from "@azure/communication-chat";
import { CredentialDisposedError, TokenRevokedError } from "../token/errors";
import type { AcsTokenCredential } from "../token/types";
import { emulatorLoopbackPolicies, isLoopbackEmulatorEndpoint } from "./emulator-loopback-policy";
import {
  UNKNOWN_PARTICIPANT_NAME,
  identifierId,
  messageFromEvent,
  participantsFromEvent,
  toDate,
} from "./mapping";
import { readServerSentEvents } from "./sse";
import { ChatThread } from "./thread";
import type { ChatThreadHandle } from "./thread";
import { tokenRefreshPolicies } from "./token-refresh-policy";
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
  /** Backoff for reconnects and outbox retries (full jitter). Default { 250, 10 000 }. */
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

const REALTIME_EVENTS = [
  "chatMessageReceived",
  "chatMessageEdited",
  "chatMessageDeleted",
  "typingIndicatorReceived",
  "readReceiptReceived",
  "chatThreadCreated",
  "chatThreadPropertiesUpdated",
  "chatThreadDeleted",
  "participantsAdded",
  "participantsRemoved",
] as const;

type Json = Record<string, unknown>;

function isStopError(error: unknown): boolean {
  return error instanceof TokenRevokedError || error instanceof CredentialDisposedError;
}

export async function createChatSession(options: ChatSessionOptions): Promise<ChatSession> {
  // Loaded on demand: keeps the SDK out of the initial bundle and off the server render path.
  const { ChatClient: ChatClientClass } = await import("@azure/communication-chat");
  const inBrowser = typeof window !== "undefined";
  const loopbackHttp =
    (options.loopbackHttp ?? inBrowser) &&
    isLoopbackEmulatorEndpoint(options.endpoint, options.emulator);
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const retry = options.retry ?? { initialMs: 250, maxMs: 10_000 };
  const newId = options.newId ?? (() => crypto.randomUUID());
  const fetchImpl =
    options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const requested = options.events ?? "auto";
  const eventSource: Exclude<EventSourceKind, "auto"> =
    requested !== "auto"
      ? requested
      : options.emulator
        ? "emulator-events"
        : inBrowser
          ? "realtime"
          : "polling";

  const closer = new AbortController();
  const sleepers = new Set<() => void>();
  const threads = new Map<string, ChatThread>();
  const eventListeners = new Set<(event: ChatSessionEvent) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let pushConnected = false;
  let lastPollOk: boolean | undefined;
  let connectionState: ConnectionState = eventSource === "polling" ? "polling" : "reconnecting";

  const retryDelay = (attempt: number) =>
    Math.floor(Math.random() * Math.min(retry.maxMs, retry.initialMs * 2 ** Math.min(attempt, 20)));

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (closer.signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });
  }

  function makeClient(overrides: ChatClientOptions = {}): ChatClient {
    return new ChatClientClass(options.endpoint, options.credential, {
      ...options.pipelineOptions,
      ...overrides,
      additionalPolicies: [
        ...(options.pipelineOptions?.additionalPolicies ?? []),
        ...tokenRefreshPolicies(options.credential),
        ...(loopbackHttp
          ? emulatorLoopbackPolicies({ endpoint: options.endpoint, emulator: options.emulator })
          : []),
      ],
    });
  }
  let client = makeClient();
  const sendClient = makeClient({
    retryOptions: { ...options.pipelineOptions?.retryOptions, maxRetries: 0 },
  });

  function emit(event: ChatSessionEvent): void {
    for (const listener of [...eventListeners]) {
      try {
        listener(event);
      } catch {
        // One listener's failure must not stop delivery to the others.
      }
    }
  }

  function updateState(): void {
    const next: ConnectionState = pushConnected
      ? "live"
      : lastPollOk === false
        ? "offline"
        : eventSource === "polling"
          ? "polling"
          : "reconnecting";
    if (next === connectionState) return;
    connectionState = next;
    for (const listener of [...stateListeners]) {
      try {
        listener(next);
      } catch {
        // ignore
      }
    }
  }

  // One ChatThreadClient per thread and ChatClient: the SDK's typing throttle lives in it.
  const threadClients = new WeakMap<ChatClient, Map<string, ChatThreadClient>>();
  function threadClientFor(threadId: string, of: ChatClient = client): ChatThreadClient {
    let perClient = threadClients.get(of);
    if (!perClient) threadClients.set(of, (perClient = new Map<string, ChatThreadClient>()));
    let threadClient = perClient.get(threadId);
    if (!threadClient) perClient.set(threadId, (threadClient = of.getChatThreadClient(threadId)));
    return threadClient;
  }

  function threadFor(threadId: string): ChatThread {
    let thread = threads.get(threadId);
    if (!thread) {
      thread = new ChatThread({
        threadId,
        selfId: options.acsUserId,
        displayName: options.displayName,
        client: () => Promise.resolve(threadClientFor(threadId)),
        sendClient: () => Promise.resolve(threadClientFor(threadId, sendClient)),
        emit,
        newId,
        clockSkewMs: () => options.credential.getSnapshot().clockSkewMs,
        retryDelay,
        sleep,
        isClosed: () => closer.signal.aborted,
        historyPageSize: options.historyPageSize ?? 50,
      });
      threads.set(threadId, thread);
    }
    return thread;
  }

  /** Applies one event in the SDK's event shape (from realtime notifications or the SSE stream). */
  function dispatch(kind: string, data: Json): void {
    const threadId = typeof data.threadId === "string" ? data.threadId : undefined;
    if (!threadId) return;
    const open = threads.get(threadId);
    switch (kind) {
      case "chatMessageReceived":
      case "chatMessageEdited": {
        const message = messageFromEvent(data, options.acsUserId);
        if (!message) return;
        if (open) open.applyServerMessages([message]);
        else
          emit({
            kind: kind === "chatMessageReceived" ? "messageReceived" : "messageEdited",
            threadId,
            message,
          });
        return;
      }
      case "chatMessageDeleted": {
        const messageId = typeof data.id === "string" ? data.id : undefined;
        const deletedOn = toDate(data.deletedOn) ?? new Date();
        if (!messageId) return;
        if (open) open.applyDeleted(messageId, deletedOn);
        else emit({ kind: "messageDeleted", threadId, messageId, deletedOn });
        return;
      }
      case "typingIndicatorReceived": {
        const acsUserId = identifierId(data.sender);
        if (!acsUserId || acsUserId === options.acsUserId) return;
        const user = {
          acsUserId,
          // Resolved against the participant list by the open thread.
          name: UNKNOWN_PARTICIPANT_NAME,
          displayName:
            typeof data.senderDisplayName === "string" ? data.senderDisplayName : undefined,
          receivedOn: toDate(data.receivedOn) ?? new Date(),
        };
        if (open) open.applyTyping(user);
        else emit({ kind: "typing", threadId, user });
        return;
      }
      case "readReceiptReceived": {
        const acsUserId = identifierId(data.sender);
        const messageId = typeof data.chatMessageId === "string" ? data.chatMessageId : undefined;
        if (!acsUserId || !messageId) return;
        const receipt = { acsUserId, messageId, readOn: toDate(data.readOn) ?? new Date() };
        if (open) open.applyReceipt(receipt);
        else emit({ kind: "readReceipt", threadId, receipt });
        return;
      }
      case "participantsAdded":
      case "participantsRemoved": {
        const list = participantsFromEvent(
          kind === "participantsAdded" ? data.participantsAdded : data.participantsRemoved,
        );
        if (open) open.applyParticipants(kind, list);
        else emit({ kind, threadId, participants: list });
        return;
      }
      case "chatThreadCreated": {
        const properties = data.properties as { topic?: unknown } | undefined;
        emit({
          kind: "threadCreated",
          threadId,
          topic: typeof properties?.topic === "string" ? properties.topic : "",
        });
        return;
      }
      case "chatThreadPropertiesUpdated": {
        const properties = data.properties as { topic?: unknown } | undefined;
        emit({
          kind: "threadUpdated",
          threadId,
          topic: typeof properties?.topic === "string" ? properties.topic : undefined,
        });
        return;
      }
      case "chatThreadDeleted":
        emit({ kind: "threadDeleted", threadId });
        return;
      default:
        return;
    }
  }

  /** Re-sync every open thread (after a (re)connect, or as a poll). */
  async function syncAll(members: boolean): Promise<boolean> {
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

  // --- polling: runs whenever push is not connected -------------------------------------------

  async function pollLoop(): Promise<void> {
    let round = 0;
    while (!closer.signal.aborted) {
      await sleep(pollIntervalMs);
      if (closer.signal.aborted || pushConnected) continue;
      try {
        lastPollOk = await syncAll(round++ % 5 === 0);
      } catch (error) {
        if (isStopError(error)) {
          lastPollOk = false;
          updateState();
          return;
        }
        lastPollOk = false;
      }
      updateState();
    }
  }

  // --- the emulator's event stream --------------------------------------------------------

  async function eventStreamLoop(): Promise<void> {
    const base = new URL(options.endpoint);
    if (loopbackHttp) base.protocol = "http:";
    const url = new URL("emulator/chat/events", base).toString();
    let lastEventId: string | undefined;
    let failures = 0;
    while (!closer.signal.aborted) {
      const streamAbort = new AbortController();
      const onClose = () => streamAbort.abort();
      closer.signal.addEventListener("abort", onClose, { once: true });
      try {
        const token = await options.credential.getToken();
        const response = await fetchImpl(url, {
          headers: {
            authorization: `Bearer ${token.token}`,
            accept: "text/event-stream",
            ...(lastEventId !== undefined && { "last-event-id": lastEventId }),
          },
          signal: streamAbort.signal,
        });
        if (response.status === 401) {
          await response.body?.cancel().catch(() => undefined);
          await options.credential.forceRefresh(token.token);
          throw new Error("event stream: 401");
        }
        if (!response.ok || !response.body) {
          await response.body?.cancel().catch(() => undefined);
          throw new Error(`event stream: HTTP ${response.status}`);
        }
        failures = 0;
        pushConnected = true;
        lastPollOk = true;
        updateState();
        // Events that arrive while we re-sync are held back, then applied after it, so a thread
        // sees missed messages before newer live ones.
        let held: { kind: string; data: Json }[] | undefined = [];
        const reading = (async () => {
          for await (const message of readServerSentEvents(response.body!)) {
            if (message.id !== undefined) lastEventId = message.id;
            let data: Json;
            try {
              data = JSON.parse(message.data) as Json;
            } catch {
              continue;
            }
            if (held) held.push({ kind: message.event, data });
            else dispatch(message.event, data);
          }
        })();
        // Keep the reader's rejection handled even if the re-sync below throws first.
        const readingDone = reading.then(
          () => undefined,
          (error: unknown) => error,
        );
        try {
          await syncAll(true);
        } finally {
          const pending = held;
          held = undefined;
          for (const e of pending) dispatch(e.kind, e.data);
        }
        const readError = await readingDone;
        if (readError !== undefined && !closer.signal.aborted)
          throw readError instanceof Error
            ? readError
            : new Error("event stream failed", { cause: readError });
      } catch (error) {
        if (closer.signal.aborted) break;
        if (isStopError(error)) break;
        failures += 1;
      } finally {
        closer.signal.removeEventListener("abort", onClose);
        streamAbort.abort();
        pushConnected = false;
        updateState();
      }
      if (!closer.signal.aborted) await sleep(retryDelay(failures));
    }
  }

  // --- ACS realtime notifications (browser, real ACS) --------------------------------------

  async function realtimeLoop(): Promise<void> {
    let failures = 0;
    while (!closer.signal.aborted) {
      // A failed start is sticky inside the SDK: every attempt needs a fresh ChatClient.
      const candidate = failures === 0 ? client : makeClient();
      try {
        await candidate.startRealtimeNotifications();
        const on = candidate.on.bind(candidate) as unknown as (
          event: string,
          listener: (e: Json) => void,
        ) => void;
        for (const kind of REALTIME_EVENTS) on(kind, (e) => dispatch(kind, e));
        on("realTimeNotificationConnected", () => {
          pushConnected = true;
          updateState();
          void syncAll(true).catch(() => undefined);
        });
        on("realTimeNotificationDisconnected", () => {
          pushConnected = false;
          updateState();
        });
        client = candidate;
        pushConnected = true;
        updateState();
        await syncAll(true).catch(() => undefined);
        return;
      } catch {
        failures += 1;
        await sleep(retryDelay(failures));
      }
    }
  }

  const loops: Promise<void>[] = [pollLoop()];
  if (eventSource === "emulator-events") loops.push(eventStreamLoop());
  if (eventSource === "realtime") loops.push(realtimeLoop());
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
      const result = await client.createChatThread(
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
      for await (const t of client.listChatThreads()) {
        out.push({
          id: t.id,
          topic: t.topic,
          lastMessageReceivedOn: t.lastMessageReceivedOn,
          deletedOn: t.deletedOn,
        });
      }
      return out;
    },

    threadClient: (threadId) => threadClientFor(threadId),

    onEvent(listener) {
      eventListeners.add(listener);
      return () => {
        eventListeners.delete(listener);
      };
    },

    getConnectionState: () => connectionState,

    onConnectionState(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },

    async close() {
      if (closer.signal.aborted) return;
      closer.abort();
      for (const wake of [...sleepers]) wake();
      for (const thread of threads.values()) thread.dispose();
      if (eventSource === "realtime")
        await client.stopRealtimeNotifications().catch(() => undefined);
      await running;
      eventListeners.clear();
      stateListeners.clear();
    },
  };
}
