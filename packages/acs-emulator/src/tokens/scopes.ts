// Token scopes and lifetime bounds of Identity 2023-10-01 (CommunicationIdentityTokenScope).
export const TOKEN_SCOPES = [
  "chat",
  "voip",
  "chat.join",
  "chat.join.limited",
  "voip.join",
] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const MIN_EXPIRES_IN_MINUTES = 60;
export const MAX_EXPIRES_IN_MINUTES = 1440;
export const DEFAULT_EXPIRES_IN_MINUTES = 1440;

export function isTokenScope(value: unknown): value is TokenScope {
  return typeof value === "string" && (TOKEN_SCOPES as readonly string[]).includes(value);
}
