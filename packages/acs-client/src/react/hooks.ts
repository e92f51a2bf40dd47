"use client";
// The hooks: token status (useSyncExternalStore over the credential), the session's start and the
// thread list (a store per session, thread-list-store.ts); one thread is useChat (use-chat.ts).
// No query library: these few reads do not need one, and a page's initial JavaScript stays smaller
// without it. Actions taken before the session is ready wait for it (until the caller's AbortSignal
// fires or the component unmounts) instead of failing.
import { useCallback, useState, useSyncExternalStore } from "react";
import type { ChatSession, StartChatInput } from "../chat/session";
import type { ChatThreadSummary } from "../chat/types";
import type { CredentialSnapshot } from "../token/types";
import { eitherSignal, useUnmountSignal } from "./abort-signals";
import { useAcsContext } from "./provider";
import type { ChatSessionStatus } from "./provider";
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
