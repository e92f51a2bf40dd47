// The one interface between our procedures and ACS's Identity API. Each auth model
// (connection string, Entra ID, managed identity, HMAC-signed REST, the local emulator)
// provides an implementation; the procedures never know which one is active.

import type { AcsTokenScope } from "../contract";

export type AuthModel =
  "connection-string" | "entra-id" | "managed-identity" | "hmac-rest" | "emulator";

export interface IssuedAcsToken {
  token: string;
  expiresOn: Date;
}

/** What ACS needs to exchange a Teams user's Entra access token (SDK `getTokenForTeamsUser`). */
export interface TeamsUserTokenRequest {
  /** The person's Entra access token for `https://auth.msft.communication.azure.com` (Teams scopes). */
  teamsUserAadToken: string;
  /** The Entra app (client) id the token was issued to (its `appid`/`azp` claim). */
  clientId: string;
  /** The person's Entra object id (the token's `oid` claim). */
  userObjectId: string;
}

export interface IdentityGateway {
  /** The active model, for logs and diagnostics. */
  readonly model: AuthModel;
  /** The ACS endpoint clients connect to (Chat lives on the same origin). */
  readonly endpoint: string;
  /** True when `endpoint` is the local acs-emulator. */
  readonly emulator: boolean;
  /** PEM of the emulator's CA, so Node clients (tests, server-side chat) can trust it. */
  readonly emulatorCaCertPem?: string;
  createUser(): Promise<{ acsUserId: string }>;
  issueToken(
    acsUserId: string,
    scopes: readonly AcsTokenScope[],
    expiresInMinutes: number,
  ): Promise<IssuedAcsToken>;
  revokeTokens(acsUserId: string): Promise<void>;
  deleteUser(acsUserId: string): Promise<void>;
  /**
   * An ACS token for a Teams user (Custom Teams Endpoint) in exchange for their Entra access token.
   * Failures never carry the Entra token (see teamsExchangeFailure).
   */
  exchangeTeamsUserToken(request: TeamsUserTokenRequest): Promise<IssuedAcsToken>;
  /** Releases what the gateway started (an in-process emulator). */
  close(): Promise<void>;
}

/**
 * Failures of the Identity API, classified once where they happen (in each gateway), so the
 * tRPC boundary maps them to one error each without inspecting SDK internals.
 */
export type AcsFailureKind =
  | "unreachable" // network error, DNS, TLS, 5xx after retries
  | "credentials-rejected" // 401/403 on our own credentials
  | "not-found" // identity unknown, deleted or of another ACS resource
  | "bad-request" // ACS refused the input
  | "throttled" // 429
  | "teams-token-invalid" // 401 InvalidAccessToken: the Teams user's Entra token is bad or expired
  | "teams-token-refused" // 400 on the exchange: ACS does not accept the app id or user object id
  | "unexpected";

export class AcsGatewayError extends Error {
  /** ACS's `error.code` (e.g. "InvalidAccessToken"), when it answered one. */
  readonly code?: string;

  constructor(
    readonly kind: AcsFailureKind,
    message: string,
    readonly statusCode?: number,
    options?: { cause?: unknown; code?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AcsGatewayError";
    if (options?.code !== undefined) this.code = options.code;
  }
}

/**
 * A failure of the Teams token exchange as the procedures see it: ACS's 400 (appId/userId not
 * accepted) becomes "teams-token-refused", and the cause is dropped, because the SDK's RestError
 * holds the request and so the Entra token in its body (`../shared/acs-recordings/identity-1.3.0/
 * get_token_for_teams_user_playbacklive/` shows every refusal).
 */
export function teamsExchangeFailure(error: AcsGatewayError): AcsGatewayError {
  const kind = error.kind === "bad-request" ? "teams-token-refused" : error.kind;
  return new AcsGatewayError(
    kind,
    error.message,
    error.statusCode,
    error.code === undefined ? undefined : { code: error.code },
  );
}
