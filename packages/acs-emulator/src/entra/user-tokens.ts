// The tokens a signed-in user gets: an id_token for the client (OpenID Connect, Entra's v2.0 claims)
// and an access token for the one resource the scopes name (Graph, or Communication Services for
// Teams users). Claims: https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference
import { createHash } from "node:crypto";

import type { EntraTokenService } from "./tokens";
import type { RequestedScopes } from "./user-scopes";
import type { SignedInUser } from "./users";

export interface UserTokenRequest {
  readonly user: SignedInUser;
  readonly clientId: string;
  readonly scopes: RequestedScopes;
  /** `https://<host>/<tenant>/v2.0` */
  readonly issuer: string;
  readonly nonce?: string;
  readonly lifetimeSeconds: number;
}

export interface IssuedUserTokens {
  readonly accessToken: string;
  readonly expiresIn: number;
  /** Present when `openid` was asked. */
  readonly idToken?: string;
}

/** Entra's `sub` is pairwise: the same person has a different `sub` in each application. */
export function pairwiseSubject(user: SignedInUser, clientId: string): string {
  return createHash("sha256")
    .update(`${user.tenantId}\n${user.objectId}\n${clientId.toLowerCase()}`)
    .digest("base64url")
    .slice(0, 43);
}

export async function issueUserTokens(
  tokens: EntraTokenService,
  request: UserTokenRequest,
): Promise<IssuedUserTokens> {
  const { user, clientId, scopes, issuer } = request;
  const access = await signUserAccessToken(tokens, request);
  if (!scopes.openId.has("openid")) {
    return { accessToken: access.token, expiresIn: request.lifetimeSeconds };
  }
  const profile = scopes.openId.has("profile");
  const id = await tokens.sign(
    {
      iss: issuer,
      aud: clientId,
      sub: pairwiseSubject(user, clientId),
      oid: user.objectId,
      tid: user.tenantId,
      ...(profile ? { name: user.displayName, preferred_username: user.userPrincipalName } : {}),
      ...(user.email !== undefined && scopes.openId.has("email") ? { email: user.email } : {}),
      ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
      ver: "2.0",
    },
    request.lifetimeSeconds,
  );
  return { accessToken: access.token, expiresIn: request.lifetimeSeconds, idToken: id.token };
}

export function signUserAccessToken(tokens: EntraTokenService, request: UserTokenRequest) {
  const { user, clientId, scopes, issuer } = request;
  return tokens.sign(
    {
      iss: issuer,
      aud: scopes.audience,
      sub: pairwiseSubject(user, clientId),
      oid: user.objectId,
      tid: user.tenantId,
      appid: clientId,
      azp: clientId,
      scp: scopes.resourceScopes.join(" "),
      name: user.displayName,
      preferred_username: user.userPrincipalName,
      upn: user.userPrincipalName,
      idtyp: "user",
      ver: "2.0",
    },
    request.lifetimeSeconds,
  );
}
