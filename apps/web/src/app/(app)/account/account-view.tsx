"use client";
import { useAcsToken } from "@acs-stack/acs-client/react";
import { useEffect, useRef, useState } from "react";
import { formatCountdown } from "~/lib/countdown";
import { describeError } from "~/lib/errors";
import { disposeAcsSession } from "~/lib/acs-session";
import { keepFocusInside, showModalFrom } from "~/lib/modal-dialog";
import { useNow } from "~/lib/use-now";
import { useTRPCClient } from "~/trpc/react";
import { useRead } from "~/trpc/use-read";
import { deleteAcsIdentityAction, signOutEverywhereAction } from "../../_actions/auth";
import { ConnectionNotice } from "../../_components/connection-notice";

const STATUS_WORDS: Record<string, string> = {
  valid: "valid",
  refreshing: "refreshing…",
  expiring: "expiring soon: refreshing failed, retrying",
  expired: "no token yet",
  revoked: "revoked: sign in again",
  error: "unavailable: retrying",
};

export function AccountView() {
  const trpc = useTRPCClient();
  const token = useAcsToken();
  // identity.me only reads (null until the first token issue creates the identity): read it again once
  // a token names an identity it has not seen.
  const identity = useRead("acs.identity.me", (signal) =>
    trpc.acs.identity.me.query(undefined, { signal }),
  );
  const { refetch: refetchIdentity } = identity;
  const knownAcsUserId = identity.data?.acsUserId;
  useEffect(() => {
    if (identity.isSuccess && token.acsUserId && token.acsUserId !== knownAcsUserId)
      refetchIdentity();
  }, [identity.isSuccess, token.acsUserId, knownAcsUserId, refetchIdentity]);
  const now = useNow(1000);
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLDialogElement>(null);
  const cancelDeleteRef = useRef<HTMLButtonElement>(null);
  useEffect(() => (confirmRef.current ? keepFocusInside(confirmRef.current) : undefined), []);

  const expiresIn = token.expiresOn ? token.expiresOn.getTime() - now : undefined;

  return (
    <div className="stack">
      <ConnectionNotice status={token.status} error={token.lastError} />
      <dl className="facts">
        <dt>Identity</dt>
        <dd data-testid="identity-kind">ACS user</dd>
        <dt>ACS user id</dt>
        <dd className="mono" data-testid="acs-user-id">
          {identity.data?.acsUserId ??
            token.acsUserId ??
            (identity.error
              ? describeError(identity.error)
              : identity.data === null
                ? "not created yet"
                : "loading…")}
        </dd>
        <dt>Identity created</dt>
        <dd>
          {identity.data
            ? new Date(identity.data.createdAt).toLocaleString()
            : identity.data === null
              ? "with your first token"
              : "…"}
        </dd>
        <dt>Token</dt>
        <dd data-testid="token-status">{STATUS_WORDS[token.status] ?? token.status}</dd>
        <dt>Scopes</dt>
        <dd data-testid="token-scopes">{token.scopes.length ? token.scopes.join(", ") : "…"}</dd>
        <dt>Presence</dt>
        <dd data-testid="token-presence">
          {token.scopes.length === 0
            ? "…"
            : `Presence: ${token.scopes.includes("presence") ? "included" : "not included"}`}
        </dd>
        <dt>Expiry</dt>
        <dd aria-live="off" data-testid="token-expiry">
          {expiresIn === undefined ? "…" : `Expires in ${formatCountdown(expiresIn)}`}
          {token.expiresOn && (
            <span className="muted"> ({token.expiresOn.toLocaleTimeString()})</span>
          )}
        </dd>
      </dl>
      {refreshError && (
        <p role="alert" className="error">
          {refreshError}
        </p>
      )}
      <div style={{ display: "flex", gap: "0.75rem", flexWrap: "wrap" }}>
        <button
          type="button"
          disabled={refreshing}
          onClick={async () => {
            setRefreshing(true);
            setRefreshError(null);
            try {
              await token.refresh();
            } catch (error) {
              setRefreshError(describeError(error));
            } finally {
              setRefreshing(false);
            }
          }}
        >
          Refresh now
        </button>
        <form action={signOutEverywhereAction} onSubmit={() => disposeAcsSession()}>
          <button type="submit" className="secondary">
            Sign out everywhere
          </button>
        </form>
        <button
          type="button"
          className="danger"
          aria-haspopup="dialog"
          onClick={(event) => {
            // Focus starts on Cancel: the safe choice in a destructive confirmation.
            if (confirmRef.current)
              showModalFrom(confirmRef.current, event.currentTarget, cancelDeleteRef.current);
          }}
        >
          Delete my ACS identity
        </button>
      </div>
      <dialog ref={confirmRef} aria-labelledby="delete-title">
        <form
          action={deleteAcsIdentityAction}
          onSubmit={() => disposeAcsSession()}
          className="stack"
        >
          <h2 id="delete-title">Delete your ACS identity?</h2>
          <p>
            Your chat identity and its tokens are deleted in ACS and you are signed out. Your app
            account stays; signing in again creates a new, empty ACS identity.
          </p>
          <div style={{ display: "flex", gap: "0.75rem" }}>
            <button type="submit" className="danger">
              Yes, delete it
            </button>
            <button
              type="button"
              className="secondary"
              ref={cancelDeleteRef}
              onClick={() => confirmRef.current?.close()}
            >
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
