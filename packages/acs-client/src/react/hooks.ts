"use client";
// The hooks: token status (useSyncExternalStore over the credential), the session's start, the
// thread list (a store per session, thread-list-store.ts), the opened thread (open-thread.ts), and a
// thread's live state (useSyncExternalStore over the thread). No query library: these few reads do
// not need one, and a page's initial JavaScript stays smaller without it. Actions taken before the session or the thread is ready
// wait for it (until the caller's AbortSignal fires or the component unmounts) instead of failing.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { ChatSession, StartChatInput } from "../chat/session";
import type { ChatThreadHandle, ChatThreadState } from "../chat/thread";
import type { ChatThreadSummary, ConnectionState } from "../chat/types";
import type { CredentialSnapshot } from "../token/types";
import { openThreadOnce, openedThread } from "./open-thread";
import { useAcsContext } from "./provider";
import type { ChatSessionStatus } from "./provider";
import { SessionWaitAbortedError } from "./session-gate";
import { threadListStoreFor, type ThreadListState } from "./thread-list-store";

const SERVER_TOKEN_SNAPSHOT: CredentialSnapshot = {
  status: "expired",
  expiresOn: undefined,
  scopes: [],
  acsUserId: undefined,
  endpoint: undefined,
  emulator: undefined,
  lastError: undefined,
  clockSkewMs: 0,
  fetchCount: 0,
};

const EMPTY_THREAD_STATE: ChatThreadState = {
  messages: [],
  typingUsers: [],
  readReceipts: [],
  participants: [],
  hasOlder: false,
  ready: false,
};

const noopSubscribe = () => () => undefined;

/** Before the session has started: nothing read yet. */
const NO_THREAD_LIST: ThreadListState = { threads: [], isLoading: false, error: null };

export interface UseAcsTokenResult extends CredentialSnapshot {
  /** Forces a new token now. */
  refresh(): Promise<void>;
  /** Revokes every token of the user at the server (`acs.token.revoke`), then enters `revoked`. */
  revoke(): Promise<void>;
}

export function useAcsToken(): UseAcsTokenResult {
  const { credential, revokeTokens } = useAcsContext();
  const snapshot = useSyncExternalStore(
    credential ? credential.subscribe : noopSubscribe,
    credential ? credential.getSnapshot : () => SERVER_TOKEN_SNAPSHOT,
    () => SERVER_TOKEN_SNAPSHOT,
  );
  const refresh = useCallback(async () => {
    if (!credential) return;
    await credential.forceRefresh();
  }, [credential]);
  const revoke = useCallback(async () => {
    if (!revokeTokens) throw new Error("AcsProvider was given no revokeTokens.");
    await revokeTokens();
    credential?.markRevoked();
  }, [credential, revokeTokens]);
  return { ...snapshot, refresh, revoke };
}

/** A signal that aborts when the component unmounts (read it in event handlers, after mount). */
function useUnmountSignal(): () => AbortSignal | undefined {
  const controller = useRef<AbortController | null>(null);
  useEffect(() => {
    const current = new AbortController();
    controller.current = current;
    return () => current.abort();
  }, []);
  return useCallback(() => controller.current?.signal, []);
}

function eitherSignal(
  a: AbortSignal | undefined,
  b: AbortSignal | undefined,
): AbortSignal | undefined {
  return a && b ? AbortSignal.any([a, b]) : (a ?? b);
}

/** `promise`, or a rejection as soon as `signal` aborts (the work itself is not undone). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new SessionWaitAbortedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SessionWaitAbortedError());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export interface UseChatSessionResult {
  /** "connecting" until the chat session has started (retrying on errors); "failed": it cannot. */
  status: ChatSessionStatus;
  /** Why the last attempt to start failed (while still retrying, or for good). */
  error: unknown;
  /** Resolves with the session once started; rejects if it cannot start or `signal` aborts. */
  whenReady(signal?: AbortSignal): Promise<ChatSession>;
}

/** The chat session's start: show "Connecting…" while `status` is "connecting". */
export function useChatSession(): UseChatSessionResult {
  const { sessionStatus, sessionError, waitForSession } = useAcsContext();
  return { status: sessionStatus, error: sessionError, whenReady: waitForSession };
}

function useConnectionState(): ConnectionState {
  const { session } = useAcsContext();
  return useSyncExternalStore(
    session ? session.onConnectionState : noopSubscribe,
    session ? session.getConnectionState : () => "offline" as const,
    () => "offline" as const,
  );
}

export interface StartChatOptions {
  /** Stops waiting for the chat session (e.g. the dialog was closed); the promise rejects. */
  signal?: AbortSignal;
}

export interface UseThreadsResult {
  threads: readonly ChatThreadSummary[];
  isLoading: boolean;
  /** The list could not be read, or the session cannot start (revoked). */
  error: unknown;
  /**
   * Same idempotencyKey → same thread: create one key per user intent, reuse it on retries.
   * Called before the chat session has started, it waits for it (see `useChatSession`).
   */
  startChat(input: StartChatInput, options?: StartChatOptions): Promise<{ threadId: string }>;
  isStarting: boolean;
}

export function useThreads(): UseThreadsResult {
  const { session, sessionStatus, sessionError, waitForSession } = useAcsContext();
  const unmountSignal = useUnmountSignal();
  const store = session ? threadListStoreFor(session) : null;
  const list = useSyncExternalStore(
    store ? store.subscribe : noopSubscribe,
    store ? store.getSnapshot : () => NO_THREAD_LIST,
    () => NO_THREAD_LIST,
  );
  const [starting, setStarting] = useState(0);
  const startChat = useCallback(
    async (input: StartChatInput, options?: StartChatOptions) => {
      setStarting((n) => n + 1);
      try {
        const ready = await waitForSession(eitherSignal(options?.signal, unmountSignal()));
        const result = await ready.startChat(input);
        threadListStoreFor(ready).refresh();
        return result;
      } finally {
        setStarting((n) => n - 1);
      }
    },
    [waitForSession, unmountSignal],
  );
  return {
    threads: list.threads,
    isLoading: (store !== null && list.isLoading) || sessionStatus === "connecting",
    error: list.error ?? (sessionStatus === "failed" ? sessionError : null),
    startChat,
    isStarting: starting > 0,
  };
}

export interface UseChatResult extends ChatThreadState {
  connection: ConnectionState;
  error: unknown;
  send(content: string): string | undefined;
  retry(clientMessageId: string): void;
  edit(messageId: string, content: string): Promise<void>;
  remove(messageId: string): Promise<void>;
  loadOlder(): Promise<boolean>;
  /** False within the SDK's 8 s throttle. */
  sendTyping(): Promise<boolean>;
  markRead(messageId: string): Promise<void>;
  addParticipants(
    participants: readonly { acsUserId: string; displayName?: string }[],
  ): Promise<void>;
  removeParticipant(acsUserId: string): Promise<void>;
}

/** Opens the thread once the session has started; the handle, or why it cannot be opened. */
function useOpenThread(threadId: string | undefined) {
  const { session } = useAcsContext();
  const [opened, setOpened] = useState<{
    session: unknown;
    threadId: string;
    thread?: ChatThreadHandle;
    error?: unknown;
  } | null>(null);
  useEffect(() => {
    if (!session || !threadId || openedThread(session, threadId)) return;
    let current = true;
    openThreadOnce(session, threadId).then(
      (thread) => current && setOpened({ session, threadId, thread }),
      (error: unknown) => current && setOpened({ session, threadId, error }),
    );
    return () => {
      current = false;
    };
  }, [session, threadId]);
  if (!session || !threadId) return { thread: undefined, error: null };
  const known = openedThread(session, threadId);
  if (known) return { thread: known, error: null };
  const mine = opened?.session === session && opened.threadId === threadId ? opened : null;
  return { thread: mine?.thread, error: mine?.error ?? null };
}

export function useChat(threadId: string | undefined): UseChatResult {
  const { waitForSession } = useAcsContext();
  const unmountSignal = useUnmountSignal();
  const { thread, error } = useOpenThread(threadId);
  const subscribe = useCallback(
    (listener: () => void) => (thread ? thread.subscribe(listener) : () => undefined),
    [thread],
  );
  const getState = useCallback(() => (thread ? thread.getState() : EMPTY_THREAD_STATE), [thread]);
  const state = useSyncExternalStore(subscribe, getState, () => EMPTY_THREAD_STATE);
  const connection = useConnectionState();

  /** The open thread; while the session starts or the thread opens, waits for it. */
  async function whenOpen(): Promise<ChatThreadHandle> {
    if (thread) return thread;
    if (!threadId) throw new Error("No chat thread is selected.");
    const signal = unmountSignal();
    const ready = await waitForSession(signal);
    // Joins the opening under way (one openThread per thread).
    return untilAborted(openThreadOnce(ready, threadId), signal);
  }

  return {
    ...state,
    connection,
    error,
    send: (content) => thread?.send(content),
    retry: (id) => thread?.retry(id),
    edit: (id, content) => whenOpen().then((open) => open.edit(id, content)),
    remove: (id) => whenOpen().then((open) => open.delete(id)),
    loadOlder: () => (thread ? thread.loadOlder() : Promise.resolve(false)),
    sendTyping: () => (thread ? thread.sendTyping() : Promise.resolve(false)),
    markRead: (id) => whenOpen().then((open) => open.markRead(id)),
    addParticipants: (list) => whenOpen().then((open) => open.addParticipants(list)),
    removeParticipant: (id) => whenOpen().then((open) => open.removeParticipant(id)),
  };
}
