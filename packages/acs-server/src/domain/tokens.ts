// Issue, refresh and revoke ACS user tokens under the scope policy and the per-user rate limit.
//
// Issue, refresh and revoke of one user run one at a time (serializePerUser: an advisory lock on
// PostgreSQL, a queue in the process on PGlite; see db/index.ts withLock). ACS revokes only the
// tokens it issued before the revoke request, so an issue whose ACS call lands after it would hand out
// a live token after "revoke" answered. Serialised, an issue either finishes before the revoke starts
// (its token is then revoked) or starts after the revoke answered and re-checks the session first.
// Chosen over a revocation epoch re-checked after issuing: that leaves a live token in ACS for a
// moment after the revoke answered, and needs a second ACS revoke on the hot path.
//
// Traces: each operation is a span (token.issue, token.refresh, token.revoke) with a child per database
// call (db.*) and per ACS call (acs.*); see observability/tracing.ts. Attributes never carry a token.
import type { SessionUser, TokenScope } from "../contract";
import { DEFAULT_REQUESTED_SCOPES, DEFAULT_TOKEN_LIFETIME_MINUTES } from "../contract";
import type { IdentityGateway } from "../control-plane/identity-gateway";
import type { GrantRepository } from "../db/grants";
import type { TokenRateLimiter } from "../db/rate-limits";
import {
  NoCurrentGrantError,
  RateLimitedError,
  ScopeNotAllowedError,
  SessionEndedError,
} from "../errors";
import { DB_SPAN, inSpan } from "../observability/tracing";
import type { IdentityService } from "./identities";
import type { ScopePolicy } from "./scope-policy";
import { isAcsScope } from "./scope-policy";

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
  /** Runs `fn` while no other token operation of the user runs (on any instance). */
  serializePerUser: <T>(userId: string, fn: () => Promise<T>) => Promise<T>;
}

export interface CallerSession {
  /** Whether the caller's sign-in session is still live (the tRPC context's `sessionActive`). */
  sessionActive: () => Promise<boolean>;
}

export function createTokenService(deps: TokenServiceDeps) {
  const { gateway, identities, grants, rateLimiter, scopePolicy, now, serializePerUser } = deps;
  const ACS_SPAN = { "acs.auth_model": gateway.model, "acs.emulator": gateway.emulator };

  /**
   * Asked once the user's lock is held: a revoke may have run while this request waited ("sign out
   * everywhere" ends the sessions first, then revokes), on this instance or another.
   */
  async function assertSessionLive(session: CallerSession): Promise<void> {
    if (!(await session.sessionActive())) throw new SessionEndedError();
  }

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
    const decision = await inSpan("db.rate_limit.consume", DB_SPAN, () =>
      rateLimiter.consume(userId, now(), deps.rateLimitPerMinute),
    );
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
    const acsUserId =
      mapped ??
      // A first issue maps the user to an ACS identity (database, and ACS when it creates one).
      (await inSpan("identity.ensure", {}, () => identities.ensure(user.id))).acsUserId;
    const issued = await inSpan("acs.issue_token", ACS_SPAN, () =>
      gateway.issueToken(acsUserId, scopes.filter(isAcsScope), expiresInMinutes),
    );
    const issuedAt = now();
    await inSpan("db.grant.record", DB_SPAN, () =>
      grants.record(
        {
          userId: user.id,
          acsUserId,
          scopes,
          expiresInMinutes,
          expiresOn: issued.expiresOn,
          issuedAt,
        },
        action,
      ),
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
      session: CallerSession,
    ): Promise<IssuedToken> {
      const expiresInMinutes = input.expiresInMinutes ?? DEFAULT_TOKEN_LIFETIME_MINUTES;
      return inSpan(
        "token.issue",
        { "acs.token.expires_in_minutes": expiresInMinutes },
        async () => {
          const scopes = await authorizeScopes(user, input.scopes);
          return serializePerUser(user.id, async () => {
            await assertSessionLive(session);
            return issueFor(user, scopes, expiresInMinutes, "token.issued");
          });
        },
      );
    },

    /** ACS has no refresh tokens: refresh re-issues the current grant for a still-signed-in user. */
    async refresh(user: SessionUser, session: CallerSession): Promise<IssuedToken> {
      return inSpan("token.refresh", {}, () =>
        serializePerUser(user.id, async () => {
          await assertSessionLive(session);
          // Read under the lock: a revoke that ran while this waited has closed the grant.
          const grant = await inSpan("db.grant.current", DB_SPAN, () => grants.current(user.id));
          if (!grant) throw new NoCurrentGrantError("none");
          if (grant.revokedAt) throw new NoCurrentGrantError("revoked");
          // The policy may have narrowed since the grant: re-check rather than re-issue blindly.
          const scopes = await authorizeScopes(user, grant.scopes as TokenScope[]);
          return issueFor(user, scopes, grant.expiresInMinutes, "token.refreshed");
        }),
      );
    },

    /**
     * Revokes every token of the user's identity (sign out everywhere). When it answers, no token issued
     * before or during it is accepted by ACS: issues of this user wait for it, and it for them.
     */
    async revoke(user: SessionUser): Promise<{ revoked: true; revokedAt: string }> {
      return inSpan("token.revoke", {}, () =>
        serializePerUser(user.id, async () => {
          const identity = await inSpan("db.identity.find", DB_SPAN, () =>
            identities.find(user.id),
          );
          // No identity means no token can exist; the grants are still closed so refresh stops.
          if (identity) {
            await inSpan("acs.revoke_tokens", ACS_SPAN, () =>
              gateway.revokeTokens(identity.acsUserId),
            );
          }
          const revokedAt = now();
          await inSpan("db.grant.revoke_all", DB_SPAN, () =>
            grants.revokeAll(user.id, identity?.acsUserId ?? null, revokedAt, "token.revoked"),
          );
          return { revoked: true as const, revokedAt: revokedAt.toISOString() };
        }),
      );
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
