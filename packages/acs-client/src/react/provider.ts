"use client";
// AcsProvider: one token credential per mounted provider (disposed on unmount) and, once the first
// token names the endpoint and the ACS user, one chat session. Nothing runs during SSR: both are
// created in effects, and their code (and the chat SDK) loads on demand (loadTokenCredential,
// loadChatSession), so none of it is in a page's initial JavaScript.
// Starting the session is retried (with backoff) until it works or cannot (revoked, disposed);
// actions taken meanwhile wait for it through `waitForSession` instead of failing.
import { createContext, createElement, useContext, useEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import { loadChatSession } from "../chat/load-session";
import type { ChatSession, ChatSessionOptions } from "../chat/session";
import { backoffDelay } from "../token/backoff";
import { loadTokenCredential } from "../token/load-credential";
import { CredentialDisposedError, TokenRevokedError } from "../token/errors";
import type { AcsTokenCredential, AcsTokenCredentialOptions, FetchToken } from "../token/types";
import { SessionGate } from "./session-gate";

export interface AcsProviderProps {
  /** Map "initial" to `acs.token.issue`, "refresh"/"forced" to `acs.token.refresh` (tRPC client mutations). */
  fetchToken: FetchToken;
  /** `acs.token.revoke`; enables `useAcsToken().revoke`. */
  revokeTokens?: () => Promise<unknown>;
  /** Shown to other participants. */
  displayName: string;
  /** Cross-tab channel/lock name; use one per signed-in user. Default "acs-token". */
  crossTabName?: string;
  credentialOptions?: Partial<Omit<AcsTokenCredentialOptions, "fetchToken">>;
  /** Extra session options (Node/tests: tlsOptions, fetch; events source; poll interval). */
  sessionOptions?: Partial<Omit<ChatSessionOptions, "credential" | "displayName">>;
  children?: ReactNode;
}

/** "connecting" until the session has started (retrying on errors); "failed" when it cannot start. */
export type ChatSessionStatus = "connecting" | "ready" | "failed";

export interface AcsContextValue {
  readonly credential: AcsTokenCredential | null;
  readonly session: ChatSession | null;
  readonly sessionStatus: ChatSessionStatus;
  /** Why the last attempt to start the session failed (while retrying, or for good: revoked). */
  readonly sessionError: unknown;
  /**
   * Resolves with the session as soon as it has started (at once if it has); rejects with the
   * reason it cannot start (revoked, disposed) or when `signal` aborts. Stable across renders.
   */
  readonly waitForSession: (signal?: AbortSignal) => Promise<ChatSession>;
  readonly revokeTokens?: () => Promise<unknown>;
}

/** Backoff between attempts to start the session when not given `sessionOptions.retry`. */
const DEFAULT_START_RETRY = { initialMs: 500, maxMs: 15_000 };

/** Errors after which no attempt can succeed: the grant is gone or the provider is unmounting. */
function isFinalStartError(error: unknown): boolean {
  return error instanceof TokenRevokedError || error instanceof CredentialDisposedError;
}

const AcsContext = createContext<AcsContextValue | null>(null);

export function AcsProvider(props: AcsProviderProps): ReactNode {
  const fetchTokenRef = useRef(props.fetchToken);
  fetchTokenRef.current = props.fetchToken;
  const optionsRef = useRef(props);
  optionsRef.current = props;
  const [credential, setCredential] = useState<AcsTokenCredential | null>(null);
  const [session, setSession] = useState<ChatSession | null>(null);
  const [sessionError, setSessionError] = useState<unknown>(undefined);
  const [sessionFailed, setSessionFailed] = useState(false);
  const [gate] = useState(() => new SessionGate<ChatSession>());
  const [waitForSession] = useState(() => (signal?: AbortSignal) => gate.wait(signal));

  // Created in an effect (not during render) so StrictMode's mount/unmount/mount gets a live one.
  // Its code loads on demand (load-credential.ts): a failed load is retried with backoff, and
  // unmounting first disposes what arrives late.
  useEffect(() => {
    let created: AcsTokenCredential | undefined;
    const unmount = new AbortController();
    const retry = optionsRef.current.sessionOptions?.retry ?? DEFAULT_START_RETRY;
    void (async () => {
      for (let attempt = 1; !unmount.signal.aborted; attempt += 1) {
        try {
          const credential = await loadTokenCredential({
            crossTabName: optionsRef.current.crossTabName,
            ...optionsRef.current.credentialOptions,
            fetchToken: (reason, options) => fetchTokenRef.current(reason, options),
          });
          if (unmount.signal.aborted) return credential.dispose();
          created = credential;
          setCredential(credential);
          return;
        } catch (error) {
          if (unmount.signal.aborted) return;
          setSessionError(error);
          await delay(backoffDelay(attempt, retry, Math.random), unmount.signal);
        }
      }
    })();
    return () => {
      unmount.abort();
      created?.dispose();
      setCredential(null);
    };
  }, []);

  useEffect(() => {
    if (!credential) return;
    let cancelled = false;
    let started: ChatSession | undefined;
    const cancel = new AbortController();
    const { displayName, sessionOptions } = optionsRef.current;
    const retry = sessionOptions?.retry ?? DEFAULT_START_RETRY;
    gate.retry();
    void (async () => {
      for (let attempt = 1; !cancelled; attempt += 1) {
        try {
          await credential.getToken();
          const token = credential.current;
          if (!token || cancelled) return;
          started = await loadChatSession({
            credential,
            endpoint: token.endpoint,
            emulator: token.emulator,
            acsUserId: token.acsUserId,
            displayName,
            ...sessionOptions,
          });
          if (cancelled) {
            await started.close();
            return;
          }
          setSession(started);
          setSessionError(undefined);
          gate.open(started);
          return;
        } catch (error) {
          if (cancelled) return;
          setSessionError(error);
          if (isFinalStartError(error)) {
            setSessionFailed(true);
            gate.fail(error);
            return;
          }
          // Transient (token server unreachable, the SDK's chunk failed to load): try again.
          await delay(backoffDelay(attempt, retry, Math.random), cancel.signal);
        }
      }
    })();
    return () => {
      cancelled = true;
      cancel.abort();
      gate.close();
      setSession(null);
      setSessionFailed(false);
      void started?.close();
    };
  }, [credential, gate]);

  const value: AcsContextValue = {
    credential,
    session,
    sessionStatus: session ? "ready" : sessionFailed ? "failed" : "connecting",
    sessionError,
    waitForSession,
    revokeTokens: props.revokeTokens,
  };
  return createElement(AcsContext.Provider, { value }, props.children);
}

export function useAcsContext(): AcsContextValue {
  const value = useContext(AcsContext);
  if (!value) throw new Error("useAcs* hooks must be used inside <AcsProvider>.");
  return value;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
