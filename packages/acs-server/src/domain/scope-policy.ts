// Which token scopes a user may receive. The server decides; callers only narrow it down.
import type { AcsTokenScope, SessionUser, TokenScope } from "../contract";
import { ACS_TOKEN_SCOPES, TOKEN_SCOPES } from "../contract";

/** Returns the scopes `user` may be granted. Configure per user through createAcsServices({ scopePolicy }). */
export type ScopePolicy = (
  user: SessionUser,
) => readonly TokenScope[] | Promise<readonly TokenScope[]>;

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
