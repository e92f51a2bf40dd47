"use client";
// The Teams identity of a person signed in with Microsoft Entra ID (AUTH_MICROSOFT_ENTRA_ID_TEAMS):
// acs.teams.exchangeToken trades their Entra token, which stays on the server, for an ACS token of
// their Teams user. Asking again refreshes it (the server renews the Entra token first when needed).
import { useMutation } from "@tanstack/react-query";
import { formatCountdown } from "~/lib/countdown";
import { describeError } from "~/lib/errors";
import { useNow } from "~/lib/use-now";
import { useTRPC } from "~/trpc/react";

export function TeamsIdentity() {
  const trpc = useTRPC();
  const exchange = useMutation(trpc.acs.teams.exchangeToken.mutationOptions());
  const now = useNow(1000);
  const issued = exchange.data;
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
      {exchange.error && (
        <p role="alert" className="error">
          {describeError(exchange.error)}
        </p>
      )}
      <div>
        <button type="button" disabled={exchange.isPending} onClick={() => exchange.mutate()}>
          {issued ? "Refresh Teams token" : "Use my Teams identity"}
        </button>
      </div>
    </section>
  );
}
