// Issue, refresh and revoke ACS user tokens under the scope policy and the per-user rate limit.
import type { IdentityGateway, TokenScope } from "../control-plane/identity-gateway";
import type { GrantRepository } from "../db/grants";
import type { TokenRateLimiter } from "../db/rate-limits";
import { NoCurrentGrantError, RateLimitedError, ScopeNotAllowedError } from "../errors";
import type { SessionUser } from "../session";
import type { IdentityService } from "./identities";
import type { ScopePolicy } from "./scope-policy";
import { DEFAULT_REQUESTED_SCOPES, isAcsScope } from "./scope-policy";

export const DEFAULT_TOKEN_LIFETIME_MINUTES = 1440;

export interface IssuedToken {
  token: string;
  expiresOn: string;
  scopes: TokenScope[];
  acsUserId: string;
  endpoint: string;
  emulator: boolean;
  serverTime: string;
}

export interface TokenServiceDeps {
  gateway: IdentityGateway;
  identities: IdentityService;
  grants: GrantRepository;
  rateLimiter: TokenRateLimiter;
  scopePolicy: ScopePolicy;
  rateLimitPerMinute: number;
  now: () => Date;
}

export function createTokenService(deps: TokenServiceDeps) {
  const { gateway, identities, grants, rateLimiter, scopePolicy, now } = deps;

  async function authorizeScopes(user: SessionUser, requested: readonly TokenScope[] | undefined) {
    const allowed = await scopePolicy(user);
    const wanted = requested ?? DEFAULT_REQUESTED_SCOPES.filter((s) => allowed.includes(s));
    const refused = wanted.filter((s) => !allowed.includes(s));
    if (refused.length > 0) throw new ScopeNotAllowedError(refused);
    const scopes = [...new Set(wanted)];
    if (!scopes.some(isAcsScope)) {
      // Only app-level scopes (presence) would make a token ACS cannot issue.
      throw new ScopeNotAllowedError(requested ? scopes : ["(no ACS scope allowed by default)"]);
    }
    return scopes;
  }

  /** Counts the issuance; returns the user's mapped identity when there is one. */
  async function consumeQuota(userId: string): Promise<string | null> {
    const decision = await rateLimiter.consume(userId, now(), deps.rateLimitPerMinute);
    if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
    return decision.acsUserId;
  }

  async function issueFor(
    user: SessionUser,
    scopes: TokenScope[],
    expiresInMinutes: number,
    action: "token.issued" | "token.refreshed",
  ): Promise<IssuedToken> {
    const mapped = await consumeQuota(user.id);
    const acsUserId = mapped ?? (await identities.ensure(user.id)).acsUserId;
    const issued = await gateway.issueToken(acsUserId, scopes.filter(isAcsScope), expiresInMinutes);
    const issuedAt = now();
    await grants.record(
      { userId: user.id, acsUserId, scopes, expiresInMinutes, expiresOn: issued.expiresOn, issuedAt },
      action,
    );
    return {
      token: issued.token,
      expiresOn: issued.expiresOn.toISOString(),
      scopes,
      acsUserId,
      endpoint: gateway.endpoint,
      emulator: gateway.emulator,
      serverTime: issuedAt.toISOString(),
    };
  }

  return {
    async issue(
      user: SessionUser,
      input: { scopes?: readonly TokenScope[]; expiresInMinutes?: number },
    ): Promise<IssuedToken> {
      const scopes = await authorizeScopes(user, input.scopes);
      return issueFor(user, scopes, input.expiresInMinutes ?? DEFAULT_TOKEN_LIFETIME_MINUTES, "token.issued");
    },

    /** ACS has no refresh tokens: refresh re-issues the current grant for a still-signed-in user. */
    async refresh(user: SessionUser): Promise<IssuedToken> {
      const grant = await grants.current(user.id);
      if (!grant) throw new NoCurrentGrantError("none");
      if (grant.revokedAt) throw new NoCurrentGrantError("revoked");
      // The policy may have narrowed since the grant: re-check rather than re-issue blindly.
      const scopes = await authorizeScopes(user, grant.scopes as TokenScope[]);
      return issueFor(user, scopes, grant.expiresInMinutes, "token.refreshed");
    },

    /** Revokes every token of the user's identity (sign out everywhere). */
    async revoke(user: SessionUser): Promise<{ revoked: true; revokedAt: string }> {
      const identity = await identities.find(user.id);
      // No identity means no token can exist; the grants are still closed so refresh stops.
      if (identity) await gateway.revokeTokens(identity.acsUserId);
      const revokedAt = now();
      await grants.revokeAll(user.id, identity?.acsUserId ?? null, revokedAt, "token.revoked");
      return { revoked: true, revokedAt: revokedAt.toISOString() };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
