"use client";
// The Teams identity of a person signed in with Microsoft Entra ID (AUTH_MICROSOFT_ENTRA_ID_TEAMS):
// acs.teams.exchangeToken trades their Entra token, which stays on the server, for an ACS token of
// their Teams user. Asking again refreshes it (the server renews the Entra token first when needed).
import type { TeamsUserToken } from "@acs-stack/acs-server";
import { useState } from "react";
import { formatCountdown } from "~/lib/countdown";
import { describeError } from "~/lib/errors";
import { useNow } from "~/lib/use-now";
import { useTRPCClient } from "~/trpc/react";

export function TeamsIdentity() {
  const trpc = useTRPCClient();
  const [issued, setIssued] = useState<TeamsUserToken | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const now = useNow(1000);

  function exchange() {
    setPending(true);
    setError(null);
    trpc.acs.teams.exchangeToken
      .mutate()
      .then(setIssued, setError)
      .finally(() => setPending(false));
  }
  const expiresOn = issued ? new Date(issued.expiresOn) : undefined;

  return (
    <section className="stack" aria-labelledby="teams-identity-heading">
      <h2 id="teams-identity-heading">Teams identity</h2>
      <p className="muted">
        You signed in with Microsoft Entra ID, so you can also act as your Microsoft Teams user.
      </p>
      <dl className="facts">
        <dt>Identity</dt>
        <dd data-testid="teams-identity-kind">{issued ? "Teams user" : "not in use"}</dd>
        <dt>Teams user id</dt>
        <dd className="mono" data-testid="teams-user-id">
          {issued?.acsUserId ?? "…"}
        </dd>
        <dt>Expiry</dt>
        <dd aria-live="off" data-testid="teams-token-expiry">
          {expiresOn ? `Expires in ${formatCountdown(expiresOn.getTime() - now)}` : "…"}
          {expiresOn && <span className="muted"> ({expiresOn.toLocaleTimeString()})</span>}
        </dd>
      </dl>
      {error !== null && (
        <p role="alert" className="error">
          {describeError(error)}
        </p>
      )}
      <div>
        <button type="button" disabled={pending} onClick={exchange}>
          {issued ? "Refresh Teams token" : "Use my Teams identity"}
        </button>
      </div>
    </section>
  );
}
