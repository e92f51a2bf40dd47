// Renews a Teams user's Entra access token with the refresh_token grant at the issuer's token
// endpoint (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token).
import type { FetchLike } from "./entra-fetch";
import type { EntraSettings } from "./settings";
import type { EntraTokens } from "./token-store";

/** Entra could not be asked, or answered something unusable. Its message holds no token. */
export class EntraRefreshError extends Error {
  override name = "EntraRefreshError";
}

type Settings = Pick<EntraSettings, "clientId" | "clientSecret" | "issuer" | "scope">;

const DEFAULT_ISSUER = "https://login.microsoftonline.com/common/v2.0";
const tokenEndpoints = new Map<string, string>();

async function tokenEndpoint(settings: Settings, fetchEntra: FetchLike): Promise<string> {
  const issuer = (settings.issuer ?? DEFAULT_ISSUER).replace(/\/$/, "");
  const known = tokenEndpoints.get(issuer);
  if (known) return known;
  const response = await fetchEntra(`${issuer}/.well-known/openid-configuration`);
  const document = response.ok ? ((await response.json()) as { token_endpoint?: unknown }) : {};
  if (typeof document.token_endpoint !== "string")
    throw new EntraRefreshError(`Entra ID discovery failed (HTTP ${response.status}).`);
  tokenEndpoints.set(issuer, document.token_endpoint);
  return document.token_endpoint;
}

interface TokenAnswer {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  error?: unknown;
}

/**
 * New tokens for `current`, or "revoked" when Entra refuses the refresh token (`invalid_grant`:
 * expired, revoked, consent withdrawn): the person must sign in with Entra ID again.
 */
export async function refreshEntraTokens(
  current: EntraTokens,
  settings: Settings,
  fetchEntra: FetchLike,
  now: () => number = Date.now,
): Promise<EntraTokens | "revoked"> {
  if (!current.refreshToken) return "revoked";
  const endpoint = await tokenEndpoint(settings, fetchEntra);
  const response = await fetchEntra(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      refresh_token: current.refreshToken,
      scope: settings.scope,
    }),
  });
  const answer = (await response.json().catch(() => ({}))) as TokenAnswer;
  if (!response.ok) {
    if (answer.error === "invalid_grant") return "revoked";
    const code = typeof answer.error === "string" ? answer.error.slice(0, 60) : "no error code";
    throw new EntraRefreshError(
      `Entra ID refused the token refresh (HTTP ${response.status}, ${code}).`,
    );
  }
  const lifetime = Number(answer.expires_in);
  if (typeof answer.access_token !== "string" || !Number.isFinite(lifetime))
    throw new EntraRefreshError(
      "Entra ID answered the token refresh without a usable access token.",
    );
  return {
    ...current,
    accessToken: answer.access_token,
    // Entra usually rotates the refresh token; when it does not, the old one stays valid.
    refreshToken:
      typeof answer.refresh_token === "string" ? answer.refresh_token : current.refreshToken,
    expiresAt: new Date(now() + lifetime * 1000),
  };
}
