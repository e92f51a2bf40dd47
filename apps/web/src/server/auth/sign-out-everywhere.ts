import "server-only";
// What "Sign out everywhere" ends on the server (app/_actions/auth.ts calls it, then clears this
// browser's cookie): every session of the person, the Entra tokens kept for their Teams identity, and
// every ACS token of their identity.
import { revokeAcsTokensOf } from "../acs";
import { getSessionStore } from "../db";
import { forgetEntraTokensOf } from "../entra/teams-user-token";
import type { SessionUser } from "@acs-stack/acs-server/contract";

export async function signOutEverywhere(user: SessionUser): Promise<void> {
  // Sessions first: a token request queued behind the revocation then finds its session dead.
  await (await getSessionStore()).endAllOf(user.id);
  await forgetEntraTokensOf(user.id);
  await revokeAcsTokensOf(user);
}
