"use client";
// Client providers of the signed-in pages: the tRPC client, then acs-client's AcsProvider
// (one token credential per tab, coordinated across tabs, and the chat session on top of it).
import { AcsProvider, forgetSharedToken, useAcsToken } from "@acs-stack/acs-client/react";
import { useEffect, useRef, type ReactNode } from "react";
import {
  disposeAcsSession,
  isSigningOut,
  onAcsSessionDispose,
  stashUnsentMessages,
} from "~/lib/acs-session";
import { TRPCReactProvider, useTRPCClient } from "~/trpc/react";
import { signOutAction } from "../_actions/auth";
import { PresenceHeartbeat, PresencePicker } from "./presence";

/** The signed-in person the providers serve. */
interface SignedInProps {
  userId: string;
  displayName: string;
  children: ReactNode;
}

export function AppProviders({ userId, displayName, children }: SignedInProps) {
  return (
    <TRPCReactProvider>
      <AcsSession userId={userId} displayName={displayName}>
        <RevocationGuard />
        <PresenceHeartbeat />
        <PresencePicker />
        {children}
      </AcsSession>
    </TRPCReactProvider>
  );
}

function AcsSession({ userId, displayName, children }: SignedInProps) {
  const trpc = useTRPCClient();
  const crossTabName = `acs-token:${userId}`;
  // Any sign-out (incl. deleting the identity) drops the token shared between tabs, so the next
  // session of this user issues a fresh one instead of reusing a token that is revoked or deleted.
  useEffect(() => onAcsSessionDispose(() => forgetSharedToken(crossTabName)), [crossTabName]);
  return (
    <AcsProvider
      fetchToken={(reason, { signal }) =>
        reason === "initial"
          ? trpc.acs.token.issue.mutate(undefined, { signal })
          : trpc.acs.token.refresh.mutate(undefined, { signal })
      }
      revokeTokens={() => trpc.acs.token.revoke.mutate()}
      displayName={displayName}
      crossTabName={crossTabName}
    >
      {children}
    </AcsProvider>
  );
}

/**
 * The server refused further tokens (signed out elsewhere, or "Sign out everywhere"): keep what
 * was not delivered for the sign-in page, end this session too, and say why there.
 */
function RevocationGuard() {
  const { status } = useAcsToken();
  const handled = useRef(false);
  useEffect(() => {
    if (status !== "revoked" || handled.current || isSigningOut()) return;
    handled.current = true;
    const unsent = stashUnsentMessages();
    disposeAcsSession();
    const form = new FormData();
    form.set("reason", "revoked");
    if (unsent > 0) form.set("unsent", String(unsent));
    void signOutAction(form);
  }, [status]);
  return null;
}
