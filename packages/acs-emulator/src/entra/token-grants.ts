// `POST /{tenant}/oauth2/v2.0/token` for users: grant_type authorization_code (PKCE checked when the
// authorization request had a code_challenge) and refresh_token. Both need the client's secret
// (the clients are confidential: `--entra-principal`s). Answers and errors as Entra's v2.0 endpoint.
import { createHash, timingSafeEqual } from "node:crypto";

import type { SignInGrants } from "./authorization-codes";
import type { CodeGrant } from "./authorization-codes";
import type { EntraServicePrincipal } from "./config";
import { EntraGrantError } from "./grant-errors";
import type { EntraTokenService } from "./tokens";
import { issueUserTokens } from "./user-tokens";
import { parseUserScopes } from "./user-scopes";

export interface UserGrantDeps {
  readonly tokens: EntraTokenService;
  readonly grants: SignInGrants;
  readonly lifetimeSeconds: number;
}

export const PKCE_MISMATCH =
  "The Code_Verifier does not match the code_challenge supplied in the authorization request.";

const required = (name: string) =>
  new EntraGrantError(
    "invalid_request",
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );

export async function authorizationCodeGrant(
  deps: UserGrantDeps,
  form: URLSearchParams,
  client: EntraServicePrincipal,
  issuer: string,
): Promise<Record<string, unknown>> {
  const code = form.get("code");
  if (!code) throw required("code");
  // Redeeming takes the code, whatever follows: a stolen code cannot be retried with other verifiers.
  const redemption = deps.grants.redeemCode(code);
  if (redemption.kind === "redeemed") {
    throw new EntraGrantError(
      "invalid_grant",
      54005,
      "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
    );
  }
  if (redemption.kind === "expired") {
    throw new EntraGrantError(
      "invalid_grant",
      70008,
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
    );
  }
  if (redemption.kind !== "ok") {
    throw new EntraGrantError(
      "invalid_grant",
      9002313,
      "Invalid request. Request is malformed or invalid.",
    );
  }
  const grant = redemption.grant;
  if (grant.clientId !== client.clientId || grant.tenantId !== client.tenantId) {
    throw new EntraGrantError(
      "invalid_grant",
      70000,
      "Provided grant is invalid or malformed. The authorization code was issued to another client.",
    );
  }
  const redirectUri = form.get("redirect_uri");
  if (!redirectUri) throw required("redirect_uri");
  if (redirectUri !== grant.redirectUri) {
    throw new EntraGrantError(
      "invalid_grant",
      70000,
      "The provided value for the 'redirect_uri' is not valid. The value must exactly match the redirect URI used to obtain the authorization code.",
    );
  }
  checkCodeVerifier(grant, form.get("code_verifier"));
  return respond(deps, grant, client, issuer, grant.scope, grant.nonce);
}

export async function refreshTokenGrant(
  deps: UserGrantDeps,
  form: URLSearchParams,
  client: EntraServicePrincipal,
  issuer: string,
): Promise<Record<string, unknown>> {
  const token = form.get("refresh_token");
  if (!token) throw required("refresh_token");
  const grant = deps.grants.refresh(token);
  if (grant === "expired") {
    throw new EntraGrantError(
      "invalid_grant",
      70008,
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
    );
  }
  if (!grant) {
    throw new EntraGrantError(
      "invalid_grant",
      9002313,
      "Invalid request. Request is malformed or invalid.",
    );
  }
  if (grant.clientId !== client.clientId || grant.tenantId !== client.tenantId) {
    throw new EntraGrantError(
      "invalid_grant",
      70000,
      "Provided grant is invalid or malformed. The refresh token was issued to another client.",
    );
  }
  // A refresh token is good for any resource (Entra's multi-resource refresh tokens): `scope` may
  // ask for another one, e.g. the Teams scopes after a sign-in with Graph's.
  return respond(deps, grant, client, issuer, form.get("scope") ?? grant.scope, undefined);
}

async function respond(
  deps: UserGrantDeps,
  grant: Pick<CodeGrant, "user" | "tenantId">,
  client: EntraServicePrincipal,
  issuer: string,
  scope: string,
  nonce: string | undefined,
): Promise<Record<string, unknown>> {
  const scopes = parseUserScopes(scope);
  const issued = await issueUserTokens(deps.tokens, {
    user: grant.user,
    clientId: client.clientId,
    scopes,
    issuer,
    ...(nonce !== undefined ? { nonce } : {}),
    lifetimeSeconds: deps.lifetimeSeconds,
  });
  const refreshToken = scopes.openId.has("offline_access")
    ? deps.grants.newRefreshToken({
        clientId: client.clientId,
        tenantId: grant.tenantId,
        user: grant.user,
        scope,
      })
    : undefined;
  return {
    token_type: "Bearer",
    scope: scopes.granted,
    expires_in: issued.expiresIn,
    ext_expires_in: issued.expiresIn,
    access_token: issued.accessToken,
    ...(refreshToken !== undefined ? { refresh_token: refreshToken } : {}),
    ...(issued.idToken !== undefined ? { id_token: issued.idToken } : {}),
  };
}

function checkCodeVerifier(grant: CodeGrant, verifier: string | null): void {
  const challenge = grant.codeChallenge;
  // A verifier without a challenge is refused too (RFC 9700 §2.1.1: PKCE downgrade).
  if (!challenge) {
    if (verifier !== null) throw new EntraGrantError("invalid_grant", 501481, PKCE_MISMATCH);
    return;
  }
  if (verifier === null) throw new EntraGrantError("invalid_grant", 501481, PKCE_MISMATCH);
  const computed =
    challenge.method === "S256"
      ? createHash("sha256").update(verifier, "ascii").digest("base64url")
      : verifier;
  const a = Buffer.from(computed);
  const b = Buffer.from(challenge.value);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new EntraGrantError("invalid_grant", 501481, PKCE_MISMATCH);
  }
}
