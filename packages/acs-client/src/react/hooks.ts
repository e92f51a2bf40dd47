"use client";
// The hooks: token status (useSyncExternalStore over the credential), the session's start, the
// thread list and the opened thread (TanStack Query), and a thread's live state
// (useSyncExternalStore over the thread). Actions taken before the session or the thread is ready
// wait for it (until the caller's AbortSignal fires or the component unmounts) instead of failing.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useSyncExternalStore } from "react";
import { shouldRetryOpenThread } from "../chat/permanent-error";
import type { ChatSession, StartChatInput } from "../chat/session";
import type { ChatThreadHandle, ChatThreadState } from "../chat/thread";
import type { ChatThreadSummary, ConnectionState } from "../chat/types";
import type { CredentialSnapshot } from "../token/types";
import { useAcsContext } from "./provider";
import type { ChatSessionStatus } from "./provider";
import { SessionWaitAbortedError } from "./session-gate";

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

export const acsQueryKeys = {
  threads: (acsUserId: string | undefined) => ["acs", "threads", acsUserId] as const,
  thread: (acsUserId: string | undefined, threadId: string) =>
    ["acs", "thread", acsUserId, threadId] as const,
};

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
  const queryClient = useQueryClient();
  const unmountSignal = useUnmountSignal();
  const query = useQuery({
    queryKey: acsQueryKeys.threads(session?.acsUserId),
    queryFn: () => session!.listThreads(),
    enabled: session !== null,
  });
  useEffect(() => {
    if (!session) return;
    return session.onEvent((event) => {
      if (
        event.kind.startsWith("thread") ||
        event.kind === "participantsAdded" ||
        event.kind === "participantsRemoved"
      ) {
        void queryClient.invalidateQueries({ queryKey: acsQueryKeys.threads(session.acsUserId) });
      }
    });
  }, [session, queryClient]);
  const start = useMutation({
    mutationFn: async ({ input, signal }: { input: StartChatInput; signal?: AbortSignal }) => {
      const ready = await waitForSession(eitherSignal(signal, unmountSignal()));
      const result = await ready.startChat(input);
      void queryClient.invalidateQueries({ queryKey: acsQueryKeys.threads(ready.acsUserId) });
      return result;
    },
  });
  const { mutateAsync } = start;
  const startChat = useCallback(
    (input: StartChatInput, options?: StartChatOptions) =>
      mutateAsync({ input, signal: options?.signal }),
    [mutateAsync],
  );
  return {
    threads: query.data ?? [],
    isLoading: query.isLoading || sessionStatus === "connecting",
    error: query.error ?? (sessionStatus === "failed" ? sessionError : null),
    startChat,
    isStarting: start.isPending,
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

function threadQuery(session: ChatSession | null, threadId: string) {
  return {
    queryKey: acsQueryKeys.thread(session?.acsUserId, threadId),
    queryFn: (): Promise<ChatThreadHandle> => session!.openThread(threadId),
    // The handle is a live object, not data: never refetch or structurally share it.
    staleTime: Number.POSITIVE_INFINITY,
    structuralSharing: false,
    // A thread that does not exist or is not ours says so at once instead of after three retries.
    retry: shouldRetryOpenThread,
  };
}

export function useChat(threadId: string | undefined): UseChatResult {
  const { session, waitForSession } = useAcsContext();
  const queryClient = useQueryClient();
  const unmountSignal = useUnmountSignal();
  const query = useQuery({
    ...threadQuery(session, threadId ?? ""),
    enabled: session !== null && Boolean(threadId),
  });
  const thread = query.data;
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
    // Joins the query's own fetch when it is under way (one openThread per thread).
    return untilAborted(queryClient.ensureQueryData(threadQuery(ready, threadId)), signal);
  }

  return {
    ...state,
    connection,
    error: query.error,
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
