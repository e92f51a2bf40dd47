// Token scope names, as the token procedures accept them and the credential reports them.

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

/** Requested when the caller names no scopes (then narrowed to what the server's policy allows). */
export const DEFAULT_REQUESTED_SCOPES: readonly TokenScope[] = ["chat", "voip", "presence"];
