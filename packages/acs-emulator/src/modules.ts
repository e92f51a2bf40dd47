// Contracts between the emulator's modules, so each can be built and tested on its own:
// the server (transport + identity + tokens) wires chat and the local Entra ID authority in.
import type { JWTPayload } from "jose";

import type { RouteHandler } from "./http/types";
import type { Journal, JournalRecord } from "./persistence/journal";

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A user access token that passed signature, expiry and revocation checks. */
export interface VerifiedUser {
  /** rawId, `8:acs:<resourceId>_<suffix>` */
  readonly acsUserId: string;
  /** The `acsScope` claim split on commas, e.g. ["chat", "voip"]. */
  readonly scopes: readonly string[];
  readonly issuedAt: Date;
  readonly expiresOn: Date;
}

export interface UserTokenVerifier {
  /**
   * Accepts an `Authorization` header value ("Bearer <jwt>") or a bare JWT.
   * Throws AcsHttpError(401, "InvalidAuthenticationToken" | "TokenExpired" | ...) when it fails.
   */
  verify(authorizationOrToken: string | undefined): Promise<VerifiedUser>;
}

export interface ChatDeps {
  readonly journal: Journal;
  readonly tokens: UserTokenVerifier;
  /** True while the identity exists (not deleted). */
  readonly identityExists: (acsUserId: string) => boolean;
  readonly resourceId: string;
  readonly now: () => Date;
  readonly log: Logger;
}

export interface ChatApi {
  /** `/chat/**` routes and `/emulator/chat/events`. */
  readonly handle: RouteHandler;
  /** Applies a replayed journal record; returns false when the record is not chat's. */
  apply(record: JournalRecord): boolean;
  /** Today's chat state as snapshot records (journal compaction). */
  snapshot(at: Date): Iterable<JournalRecord>;
  /** An identity was deleted: drop its data (participations, read receipts) and close its streams. */
  onIdentityDeleted(acsUserId: string): Promise<void>;
  /** The identity's tokens were revoked or it was deleted: end its event streams at once. */
  closeEventStreams(acsUserId: string): void;
  /** Closes open event streams. */
  close(): void;
}

/** Verdict on an Entra ID (service principal / managed identity) bearer token at the Identity API. */
export interface VerifiedPrincipal {
  readonly objectId: string;
  readonly appId?: string;
}

export interface EntraApi {
  /** Local authority routes: OpenID discovery, JWKS, token endpoint, managed-identity endpoint. */
  readonly handle: RouteHandler;
  /**
   * Verifies a bearer token presented to the Identity API: signature, audience
   * `https://communication.azure.com`, expiry (→ AcsHttpError 401), and the principal's role grant
   * (→ AcsHttpError 403).
   */
  verifyAccessToken(bearerToken: string): Promise<VerifiedPrincipal>;
  /**
   * A user's access token as signed by the local Entra ID (RS256, its JWKS key) for `audience`,
   * unexpired, issued by one of its tenants: its claims. Throws otherwise (any reason).
   */
  verifyUserToken(token: string, audience: string): Promise<JWTPayload>;
  /** Signs a user's access token without a sign-in (tests); `origin` is the emulator's https origin. */
  issueUserAccessToken(request: UserAccessTokenRequest, origin: string): Promise<string>;
}

export interface UserAccessTokenRequest {
  readonly clientId: string;
  readonly userPrincipalName: string;
  /** e.g. `https://auth.msft.communication.azure.com/Teams.ManageCalls` */
  readonly scopes: readonly string[];
  /** Default: the configured token lifetime; zero or less gives an already expired token. */
  readonly lifetimeSeconds?: number;
}
