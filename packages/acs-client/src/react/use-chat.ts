"use client";
// useChat: one thread's live state (useSyncExternalStore over the thread) and the thread's own
// handle once it is open, so its calls are the handle's (typed, nothing wrapped). Opening waits for
// the session, and is shared and retried per (session, thread) in open-thread.ts.
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import type { ChatThreadHandle, ChatThreadState } from "../chat/thread";
import type { ConnectionState } from "../chat/types";
import { eitherSignal, untilAborted, useUnmountSignal } from "./abort-signals";
import { openThreadOnce, openedThread } from "./open-thread";
import { useAcsContext } from "./provider";

/**
 * "idle": no thread id. "opening": the session is starting or the thread is opening (passing
 * failures are retried). "open": `thread` is set and its first page of history is loaded.
 * "failed": the thread cannot be opened; `error` says why.
 */
export type ChatThreadStatus = "idle" | "opening" | "open" | "failed";

export interface UseChatResult extends Omit<ChatThreadState, "ready"> {
  status: ChatThreadStatus;
  /** The open thread (send, retry, edit, delete, loadOlder, markRead, …); null until "open". */
  thread: ChatThreadHandle | null;
  /** Why the thread cannot be opened (no access, or the session cannot start); null otherwise. */
  error: unknown;
  connection: ConnectionState;
  /**
   * Resolves with the thread once it is open (at once if it is): for an action that may come
   * before. Rejects if it cannot be opened, or when `signal` aborts or the component unmounts.
   */
  whenOpen: (signal?: AbortSignal) => Promise<ChatThreadHandle>;
}

const EMPTY_THREAD_STATE: ChatThreadState = {
  messages: [],
  typingUsers: [],
  readReceipts: [],
  participants: [],
  hasOlder: false,
  ready: false,
};

const noopSubscribe = () => () => undefined;

function useConnectionState(): ConnectionState {
  const { session } = useAcsContext();
  return useSyncExternalStore(
    session ? session.onConnectionState : noopSubscribe,
    session ? session.getConnectionState : () => "offline" as const,
    () => "offline" as const,
  );
}

/** Opens the thread once the session has started; the handle, or why it cannot be opened. */
function useOpenThread(threadId: string | undefined): {
  thread: ChatThreadHandle | null;
  error: unknown;
} {
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
  if (!session || !threadId) return { thread: null, error: null };
  const known = openedThread(session, threadId);
  if (known) return { thread: known, error: null };
  const mine = opened?.session === session && opened.threadId === threadId ? opened : null;
  return { thread: mine?.thread ?? null, error: mine?.error ?? null };
}

export function useChat(threadId: string | undefined): UseChatResult {
  const { sessionStatus, sessionError, waitForSession } = useAcsContext();
  const unmountSignal = useUnmountSignal();
  const opened = useOpenThread(threadId);
  const thread = opened.thread;
  const subscribe = useCallback(
    (listener: () => void) => (thread ? thread.subscribe(listener) : () => undefined),
    [thread],
  );
  const getState = useCallback(() => (thread ? thread.getState() : EMPTY_THREAD_STATE), [thread]);
  const { ready: _loaded, ...state } = useSyncExternalStore(
    subscribe,
    getState,
    () => EMPTY_THREAD_STATE,
  );
  const connection = useConnectionState();

  const whenOpen = useCallback(
    async (signal?: AbortSignal): Promise<ChatThreadHandle> => {
      if (thread) return thread;
      if (!threadId) throw new Error("No chat thread is selected.");
      const either = eitherSignal(signal, unmountSignal());
      const session = await waitForSession(either);
      // Joins the opening under way (one openThread per thread).
      return untilAborted(openThreadOnce(session, threadId), either);
    },
    [thread, threadId, waitForSession, unmountSignal],
  );

  const error = !threadId
    ? null
    : (opened.error ?? (sessionStatus === "failed" ? (sessionError ?? null) : null));
  const status: ChatThreadStatus = !threadId
    ? "idle"
    : thread
      ? "open"
      : error != null
        ? "failed"
        : "opening";
  return { ...state, status, thread, error, connection, whenOpen };
}
