"use client";
// AcsProvider: one token credential per mounted provider (disposed on unmount) and, once the first
// token names the endpoint and the ACS user, one chat session. Nothing runs during SSR: both are
// created in effects, and the chat SDK is loaded by createChatSession's dynamic import().
import { createContext, createElement, useContext, useEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import { createChatSession } from "../chat/session";
import type { ChatSession, ChatSessionOptions } from "../chat/session";
import { createAcsTokenCredential } from "../token/credential";
import type { AcsTokenCredential, AcsTokenCredentialOptions, FetchToken } from "../token/types";

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

export interface AcsContextValue {
  readonly credential: AcsTokenCredential | null;
  readonly session: ChatSession | null;
  /** Why the session could not start (e.g. revoked before the first token). */
  readonly sessionError: unknown;
  readonly revokeTokens?: () => Promise<unknown>;
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

  // Created in an effect (not during render) so StrictMode's mount/unmount/mount gets a live one.
  useEffect(() => {
    const created = createAcsTokenCredential({
      crossTabName: optionsRef.current.crossTabName,
      ...optionsRef.current.credentialOptions,
      fetchToken: (reason, options) => fetchTokenRef.current(reason, options),
    });
    setCredential(created);
    return () => {
      created.dispose();
      setCredential(null);
    };
  }, []);

  useEffect(() => {
    if (!credential) return;
    let cancelled = false;
    let started: ChatSession | undefined;
    const { displayName, sessionOptions } = optionsRef.current;
    void (async () => {
      try {
        await credential.getToken();
        const token = credential.current;
        if (!token || cancelled) return;
        started = await createChatSession({
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
      } catch (error) {
        if (!cancelled) setSessionError(error);
      }
    })();
    return () => {
      cancelled = true;
      setSession(null);
      void started?.close();
    };
  }, [credential]);

  const value: AcsContextValue = {
    credential,
    session,
    sessionError,
    revokeTokens: props.revokeTokens,
  };
  return createElement(AcsContext.Provider, { value }, props.children);
}

export function useAcsContext(): AcsContextValue {
  const value = useContext(AcsContext);
  if (!value) throw new Error("useAcs* hooks must be used inside <AcsProvider>.");
  return value;
}
