import "server-only";
// acs-server's `teamsUserToken` context function (acs.teams.exchangeToken): the signed-in person's
// Entra access token for Azure Communication Services, renewed when it is (nearly) expired. Only for
// a session signed in with Microsoft Entra ID while AUTH_MICROSOFT_ENTRA_ID_TEAMS is on; anyone else
// gets null (acs-server then refuses with "Sign in with Microsoft Entra ID to use a Teams identity.").
import { getDatabase, getEntraTokenVault } from "../db";
import { entraFetch } from "./entra-fetch";
import { refreshEntraTokens } from "./token-refresh";
import { ENTRA_PROVIDER_ID, entraSettings } from "./settings";
import type { EntraTokens } from "./token-store";

/** Renewed this long before it expires, so the exchange never sends a token about to lapse. */
const RENEW_BEFORE_MS = 2 * 60_000;

export interface TeamsUserToken {
  accessToken: string;
  clientId: string;
  objectId: string;
}

const fresh = (tokens: EntraTokens, now: number) =>
  tokens.expiresAt.getTime() - now > RENEW_BEFORE_MS;

/** The user's stored Entra tokens, refreshed first when needed; null when there are none usable. */
export async function currentEntraTokens(userId: string): Promise<EntraTokens | null> {
  const settings = entraSettings();
  if (!settings?.teams) return null;
  const vault = await getEntraTokenVault();
  const stored = await vault.get(userId);
  if (!stored || fresh(stored, Date.now())) return stored;
  // One refresh per user at a time, across instances: Entra rotates refresh tokens, so a second
  // parallel refresh would spend the one the first just replaced.
  const database = await getDatabase();
  return database.withLock(`web_entra_tokens:refresh:${userId}`, async () => {
    const latest = await vault.get(userId);
    if (!latest || fresh(latest, Date.now())) return latest;
    const renewed = await refreshEntraTokens(latest, settings, entraFetch(settings));
    if (renewed === "revoked") {
      await vault.remove(userId);
      return null;
    }
    await vault.save(userId, renewed);
    return renewed;
  });
}

export interface SignedInPerson {
  id: string;
  /** The provider of this session's sign-in ("credentials", "microsoft-entra-id", …). */
  signInProvider?: string | null;
}

/** The context function for one request's signed-in person (null: not signed in with Entra ID). */
export function teamsUserTokenOf(
  person: SignedInPerson | null,
): () => Promise<TeamsUserToken | null> {
  return async () => {
    const settings = entraSettings();
    if (!person || person.signInProvider !== ENTRA_PROVIDER_ID || !settings?.teams) return null;
    const tokens = await currentEntraTokens(person.id);
    return tokens
      ? { accessToken: tokens.accessToken, clientId: settings.clientId, objectId: tokens.objectId }
      : null;
  };
}

/**
 * "Sign out everywhere": the server keeps no Entra token of the person, so nothing it holds can act
 * for them any more (their next Entra sign-in stores new ones). A plain sign-out keeps them: the
 * tokens are per person, and their other devices signed in with Entra ID still use them. Removed
 * whether or not Teams is on now: tokens kept while it was on must not outlive this either.
 */
export async function forgetEntraTokensOf(userId: string): Promise<void> {
  await (await getEntraTokenVault()).remove(userId);
}
