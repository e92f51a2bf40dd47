"use client";
// Client providers of the signed-in pages: tRPC + TanStack Query, then acs-client's AcsProvider
// (one token credential per tab, coordinated across tabs, and the chat session on top of it).
import { AcsProvider, useAcsToken } from "@acs-stack/acs-client/react";
import { useEffect, useRef, type ReactNode } from "react";
import { disposeAcsSession, isSigningOut, stashUnsentMessages } from "~/lib/acs-session";
import { TRPCReactProvider, useTRPCClient } from "~/trpc/react";
import { signOutAction } from "../_actions/auth";

export function AppProviders({ userId, displayName, children }: { userId: string; displayName: string; children: ReactNode }) {
  return (
    <TRPCReactProvider>
      <AcsSession userId={userId} displayName={displayName}>
        <RevocationGuard />
        {children}
      </AcsSession>
    </TRPCReactProvider>
  );
}

function AcsSession({ userId, displayName, children }: { userId: string; displayName: string; children: ReactNode }) {
  const trpc = useTRPCClient();
  return (
    <AcsProvider
      fetchToken={(reason, { signal }) =>
        reason === "initial"
          ? trpc.acs.token.issue.mutate(undefined, { signal })
          : trpc.acs.token.refresh.mutate(undefined, { signal })
      }
      revokeTokens={() => trpc.acs.token.revoke.mutate()}
      displayName={displayName}
      crossTabName={`acs-token:${userId}`}
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
