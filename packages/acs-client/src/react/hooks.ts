"use client";
// The hooks: token status (useSyncExternalStore over the credential), the thread list and the
// opened thread (TanStack Query), and a thread's live state (useSyncExternalStore over the thread).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useSyncExternalStore } from "react";
import type { StartChatInput } from "../chat/session";
import type { ChatThreadHandle, ChatThreadState } from "../chat/thread";
import type { ChatThreadSummary, ConnectionState } from "../chat/types";
import type { CredentialSnapshot } from "../token/types";
import { useAcsContext } from "./provider";

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

function useConnectionState(): ConnectionState {
  const { session } = useAcsContext();
  return useSyncExternalStore(
    session ? session.onConnectionState : noopSubscribe,
    session ? session.getConnectionState : () => "offline" as const,
    () => "offline" as const,
  );
}

export interface UseThreadsResult {
  threads: readonly ChatThreadSummary[];
  isLoading: boolean;
  error: unknown;
  /** Same idempotencyKey → same thread: create one key per user intent, reuse it on retries. */
  startChat(input: StartChatInput): Promise<{ threadId: string }>;
  isStarting: boolean;
}

export function useThreads(): UseThreadsResult {
  const { session } = useAcsContext();
  const queryClient = useQueryClient();
  const key = acsQueryKeys.threads(session?.acsUserId);
  const query = useQuery({
    queryKey: key,
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
    mutationFn: (input: StartChatInput) => {
      if (!session) return Promise.reject(new Error("The chat session is not ready yet."));
      return session.startChat(input);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  return {
    threads: query.data ?? [],
    isLoading: query.isLoading || session === null,
    error: query.error,
    startChat: start.mutateAsync,
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

function notReady(): Promise<never> {
  return Promise.reject(new Error("The chat thread is not open yet."));
}

export function useChat(threadId: string | undefined): UseChatResult {
  const { session } = useAcsContext();
  const query = useQuery({
    queryKey: acsQueryKeys.thread(session?.acsUserId, threadId ?? ""),
    queryFn: (): Promise<ChatThreadHandle> => session!.openThread(threadId!),
    enabled: session !== null && Boolean(threadId),
    // The handle is a live object, not data: never refetch or structurally share it.
    staleTime: Number.POSITIVE_INFINITY,
    structuralSharing: false,
  });
  const thread = query.data;
  const subscribe = useCallback(
    (listener: () => void) => (thread ? thread.subscribe(listener) : () => undefined),
    [thread],
  );
  const getState = useCallback(() => (thread ? thread.getState() : EMPTY_THREAD_STATE), [thread]);
  const state = useSyncExternalStore(subscribe, getState, () => EMPTY_THREAD_STATE);
  const connection = useConnectionState();
  return {
    ...state,
    connection,
    error: query.error,
    send: (content) => thread?.send(content),
    retry: (id) => thread?.retry(id),
    edit: (id, content) => (thread ? thread.edit(id, content) : notReady()),
    remove: (id) => (thread ? thread.delete(id) : notReady()),
    loadOlder: () => (thread ? thread.loadOlder() : Promise.resolve(false)),
    sendTyping: () => (thread ? thread.sendTyping() : Promise.resolve(false)),
    markRead: (id) => (thread ? thread.markRead(id) : notReady()),
    addParticipants: (list) => (thread ? thread.addParticipants(list) : notReady()),
    removeParticipant: (id) => (thread ? thread.removeParticipant(id) : notReady()),
  };
}
