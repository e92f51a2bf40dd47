// The local Microsoft Entra ID as one EntraApi: its endpoints (./routes.ts) and the token checks the
// Identity API and the Teams exchange make against it.
import { AcsHttpError } from "../http/types";
import type { EntraApi, Logger, VerifiedPrincipal } from "../modules";
import { createSignInGrants } from "./authorization-codes";
import { createAuthorizeEndpoint } from "./authorize";
import type { EntraOptions } from "./config";
import { ENTRA_DEFAULTS } from "./config";
import { createManagedIdentityEndpoint } from "./managed-identity";
import { resolveEntraPrincipals } from "./principals";
import { createEntraRoutes } from "./routes";
import { inMemoryEntraSigningKey, type EntraSigningKeySource } from "./signing-key";
import { createTokenEndpoint } from "./token-endpoint";
import { createEntraTokenService } from "./tokens";
import { parseUserScopes } from "./user-scopes";
import { signUserAccessToken } from "./user-tokens";
import { createEntraUserDirectory } from "./users";

export interface EntraDeps {
  readonly now: () => Date;
  readonly log: Logger;
  readonly resourceId: string;
  /** Principals and managed identities, from `EmulatorOptions.entra`. */
  readonly options?: EntraOptions;
  /** The token-signing key: kept in the data dir (persistentEntraSigningKey) or, by default, in memory. */
  readonly signingKey?: EntraSigningKeySource;
}

export function createEntraApi(deps: EntraDeps): EntraApi {
  const options = deps.options ?? {};
  const principals = resolveEntraPrincipals(options);
  const { servicePrincipals, byObjectId, tenants } = principals;
  const lifetimeSeconds = options.tokenLifetimeSeconds ?? ENTRA_DEFAULTS.tokenLifetimeSeconds;
  const tokens = createEntraTokenService(
    deps.now,
    lifetimeSeconds,
    deps.signingKey ?? inMemoryEntraSigningKey(),
  );
  const users = createEntraUserDirectory(options.users ?? [], principals.usersTenant);
  const grants = createSignInGrants(deps.now);

  const handle = createEntraRoutes({
    tenants,
    tokens,
    authorize: createAuthorizeEndpoint({
      principals: servicePrincipals,
      users,
      grants,
      redirectUris: options.redirectUris ?? [],
      now: deps.now,
      log: deps.log,
    }),
    tokenEndpoint: createTokenEndpoint({
      servicePrincipals,
      tokens,
      grants,
      lifetimeSeconds,
      now: deps.now,
      log: deps.log,
    }),
    managedIdentity: createManagedIdentityEndpoint({
      managedIdentities: principals.managedIdentities,
      identityHeader: options.identityHeader ?? ENTRA_DEFAULTS.identityHeader,
      tenant: principals.managedIdentityTenant,
      tokens,
      now: deps.now,
      log: deps.log,
    }),
  });

  return {
    handle,
    async issueUserAccessToken(request, origin) {
      const user = users.find(request.userPrincipalName);
      if (!user) throw new Error(`No local Entra ID user '${request.userPrincipalName}'.`);
      const client = servicePrincipals.find((sp) => sp.clientId === request.clientId);
      if (!client) throw new Error(`No local Entra ID client '${request.clientId}'.`);
      const signed = await signUserAccessToken(tokens, {
        user,
        clientId: client.clientId,
        scopes: parseUserScopes(request.scopes.join(" ")),
        issuer: `${origin.replace(/\/+$/, "")}/${user.tenantId}/v2.0`,
        lifetimeSeconds: request.lifetimeSeconds ?? lifetimeSeconds,
      });
      return signed.token;
    },

    async verifyUserToken(token, audience) {
      const claims = await tokens.verifyFor(token, audience);
      // Only tokens of this authority's tenants, issued to a user of them.
      const tid = typeof claims.tid === "string" ? claims.tid : "";
      if (!tenants.has(tid) || !String(claims.iss).endsWith(`/${tid}/v2.0`)) {
        throw new Error("The token was not issued by a tenant of the local Entra ID.");
      }
      return claims;
    },

    async verifyAccessToken(bearerToken): Promise<VerifiedPrincipal> {
      const token = bearerToken.replace(/^Bearer\s+/i, "").trim();
      const claims = await tokens.verify(token);
      const principal = byObjectId.get(claims.oid);
      if (!principal?.grantedAcsAccess) {
        throw new AcsHttpError(
          403,
          "AuthorizationFailed",
          `The principal '${claims.oid}' has no role assignment on this Communication Services resource (${deps.resourceId}).`,
        );
      }
      return { objectId: principal.objectId, appId: principal.appId };
    },
  };
}
