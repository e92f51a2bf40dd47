// The one interface between our procedures and ACS's Identity API. Each auth model
// (connection string, Entra ID, managed identity, HMAC-signed REST, the local emulator)
// provides an implementation; the procedures never know which one is active.

/** Token scopes ACS itself understands (Identity 2023-10-01 `CommunicationIdentityTokenScope`). */
export const ACS_TOKEN_SCOPES = [
  "chat",
  "voip",
  "chat.join",
  "chat.join.limited",
  "voip.join",
] as const;
export type AcsTokenScope = (typeof ACS_TOKEN_SCOPES)[number];

/** Scopes granted by this app on top of ACS's (never sent to ACS). */
export const APP_TOKEN_SCOPES = ["presence"] as const;
export type AppTokenScope = (typeof APP_TOKEN_SCOPES)[number];

export type TokenScope = AcsTokenScope | AppTokenScope;
export const TOKEN_SCOPES = [...ACS_TOKEN_SCOPES, ...APP_TOKEN_SCOPES] as const;

export type AuthModel =
  "connection-string" | "entra-id" | "managed-identity" | "hmac-rest" | "emulator";

export interface IssuedAcsToken {
  token: string;
  expiresOn: Date;
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
  | "unexpected";

export class AcsGatewayError extends Error {
  constructor(
    readonly kind: AcsFailureKind,
    message: string,
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AcsGatewayError";
  }
}
