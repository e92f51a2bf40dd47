// Teams users (Custom Teams Endpoint): the signed-in person's Entra access token, exchanged with ACS
// for an ACS token of their Teams identity (getTokenForTeamsUser). The Entra token comes from the host
// app through the tRPC context and goes to ACS only: it is never returned, logged, traced or stored.
//
// Before calling ACS the token's claims are compared with the sign-in (decoded, not verified: ACS
// verifies the signature). That catches a token of another app or person with a clear FORBIDDEN
// instead of ACS's "Provided AppId has invalid format.".
import { decodeJwt } from "jose";

import type { SessionUser, TokenScope } from "../contract";
import type { IdentityGateway } from "../control-plane/identity-gateway";
import type { GrantRepository } from "../db/grants";
import type { TokenRateLimiter } from "../db/rate-limits";
import {
  RateLimitedError,
  SessionEndedError,
  TeamsSignInInvalidError,
  TeamsSignInMismatchError,
} from "../errors";
import { DB_SPAN, inSpan } from "../observability/tracing";
import type { CallerSession, IssuedToken } from "./tokens";

/** The person's Entra sign-in, as the host app's `teamsUserToken` context function gives it. */
export interface TeamsSignIn {
  /** Entra access token for `https://auth.msft.communication.azure.com` (Teams.ManageCalls/Chats). */
  accessToken: string;
  /** The app's Entra client id (the token must have been issued to it). */
  clientId: string;
  /** The person's Entra object id, from their sign-in. */
  objectId: string;
}

/** acs.teams.exchangeToken's answer: acs.token.issue's shape, so the browser credential refreshes with it. */
export interface TeamsUserToken extends IssuedToken {
  identityKind: "teamsUser";
}

/** What an ACS token for a Teams user allows (calls and chats, as its Teams.* scopes). */
const TEAMS_USER_SCOPES: TokenScope[] = ["chat", "voip"];

export interface TeamsTokenServiceDeps {
  gateway: IdentityGateway;
  grants: GrantRepository;
  /** The token issuance counter: an exchange counts like acs.token.issue. */
  rateLimiter: TokenRateLimiter;
  rateLimitPerMinute: number;
  now: () => Date;
}

export function createTeamsTokenService(deps: TeamsTokenServiceDeps) {
  const { gateway, grants, rateLimiter, now } = deps;
  const ACS_SPAN = { "acs.auth_model": gateway.model, "acs.emulator": gateway.emulator };

  return {
    async exchange(
      user: SessionUser,
      signIn: TeamsSignIn,
      session: CallerSession,
    ): Promise<TeamsUserToken> {
      return inSpan("teams.token.exchange", {}, async () => {
        assertIssuedTo(signIn);
        if (!(await session.sessionActive())) throw new SessionEndedError();
        const decision = await inSpan("db.rate_limit.consume", DB_SPAN, () =>
          rateLimiter.consume(user.id, now(), deps.rateLimitPerMinute),
        );
        if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
        const issued = await inSpan("acs.exchange_teams_token", ACS_SPAN, () =>
          gateway.exchangeTeamsUserToken({
            teamsUserAadToken: signIn.accessToken,
            clientId: signIn.clientId,
            userObjectId: signIn.objectId,
          }),
        );
        const identity = identityOf(issued.token, signIn.objectId);
        const issuedAt = now();
        await inSpan("db.audit.record", DB_SPAN, () =>
          grants.audit(user.id, identity.acsUserId, "teams.token.exchanged", issuedAt, {
            scopes: identity.scopes,
            expiresOn: issued.expiresOn,
          }),
        );
        return {
          token: issued.token,
          expiresOn: issued.expiresOn.toISOString(),
          scopes: identity.scopes,
          acsUserId: identity.acsUserId,
          endpoint: gateway.endpoint,
          emulator: gateway.emulator,
          serverTime: issuedAt.toISOString(),
          identityKind: "teamsUser",
        };
      });
    },
  };
}

export type TeamsTokenService = ReturnType<typeof createTeamsTokenService>;

/** Throws unless the token's `appid` (v1) or `azp` (v2) is the app's client id and its `oid` the person's. */
function assertIssuedTo(signIn: TeamsSignIn): void {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(signIn.accessToken);
  } catch {
    // jose's message quotes nothing of the token, but none of it is needed either.
    throw new TeamsSignInInvalidError();
  }
  const appId = claims.appid ?? claims.azp;
  if (!sameGuid(appId, signIn.clientId)) throw new TeamsSignInMismatchError("app");
  if (!sameGuid(claims.oid, signIn.objectId)) throw new TeamsSignInMismatchError("user");
}

function sameGuid(claim: unknown, expected: string): boolean {
  return typeof claim === "string" && claim.toLowerCase() === expected.toLowerCase();
}

/**
 * The communication identifier and scopes the ACS token carries (`skypeid`, `acsScope`; see
 * ../shared/docs/acs-wire-facts.md §5). A token without them is a Teams user's of public cloud:
 * rawId `8:orgid:<object id>`.
 */
function identityOf(
  acsToken: string,
  objectId: string,
): { acsUserId: string; scopes: TokenScope[] } {
  let claims: Record<string, unknown> = {};
  try {
    claims = decodeJwt(acsToken);
  } catch {
    // ACS tokens are JWTs; if one is not, the defaults below still describe the identity.
  }
  const skypeId = typeof claims.skypeid === "string" ? claims.skypeid : `orgid:${objectId}`;
  const granted =
    typeof claims.acsScope === "string"
      ? TEAMS_USER_SCOPES.filter((scope) => (claims.acsScope as string).split(",").includes(scope))
      : [];
  return {
    acsUserId: `8:${skypeId}`,
    scopes: granted.length > 0 ? granted : TEAMS_USER_SCOPES,
  };
}
