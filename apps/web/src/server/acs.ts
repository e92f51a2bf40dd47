import "server-only";
import type { SessionUser } from "./session-user";

/** Revokes every ACS token of the user (sign-out). Wired to acs-server's `acs.token.revoke`. */
export async function revokeAcsTokensOf(_user: SessionUser): Promise<void> {
  // acs-server's router is not merged yet; sign-out still ends the session.
}
