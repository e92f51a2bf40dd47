// Which token scopes a user may receive. The server decides; callers only narrow it down.
import type { AcsTokenScope, TokenScope } from "../control-plane/identity-gateway";
import { ACS_TOKEN_SCOPES, TOKEN_SCOPES } from "../control-plane/identity-gateway";
import type { SessionUser } from "../session";

/** Returns the scopes `user` may be granted. Configure per user through createAcsServices({ scopePolicy }). */
export type ScopePolicy = (
  user: SessionUser,
) => readonly TokenScope[] | Promise<readonly TokenScope[]>;

/** Requested when the caller names no scopes (then narrowed to what the policy allows). */
export const DEFAULT_REQUESTED_SCOPES: readonly TokenScope[] = ["chat", "voip", "presence"];

/** Parses a comma-separated scope list such as ACS_DEFAULT_SCOPES; unknown names fail loudly at start-up. */
export function parseScopeList(list: string): TokenScope[] {
  const names = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(TOKEN_SCOPES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(
      `ACS_DEFAULT_SCOPES names unknown scopes: ${unknown.join(", ")} (known: ${TOKEN_SCOPES.join(", ")}).`,
    );
  }
  return [...new Set(names as TokenScope[])];
}

/** The same scopes for every user. */
export function staticScopePolicy(scopes: readonly TokenScope[]): ScopePolicy {
  const allowed = [...scopes];
  return () => allowed;
}

export function isAcsScope(scope: TokenScope): scope is AcsTokenScope {
  return (ACS_TOKEN_SCOPES as readonly string[]).includes(scope);
}
