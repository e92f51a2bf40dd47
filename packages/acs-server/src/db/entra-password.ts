// PostgreSQL without a password in configuration: Azure Database for PostgreSQL accepts a Microsoft
// Entra access token as the password of the identity's role
// (https://learn.microsoft.com/azure/postgresql/flexible-server/how-to-connect-with-managed-identity).
// pg calls the function below for every new connection; the token is reused until shortly before it
// expires, so a pool that opens many connections asks the identity endpoint once per token lifetime.
import type { AccessToken, TokenCredential } from "@azure/core-auth";

import { CONNECT_TIMEOUT_MS } from "./connections";
import { DatabaseUnavailableError } from "./unavailable";

/** The resource of Azure Database for PostgreSQL ("open-source RDBMS") in Microsoft Entra ID. */
export const POSTGRES_ENTRA_SCOPE = "https://ossrdbms-aad.database.windows.net/.default";
/** A cached token is renewed this long before it expires (a connection may take a while to open). */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

export interface EntraPasswordOptions {
  /** Clock for the expiry check (tests). */
  now?: () => number;
}

/** pg's `password` option: a fresh-enough Entra token for every new connection. */
export function entraTokenPassword(
  credential: TokenCredential,
  options: EntraPasswordOptions = {},
): () => Promise<string> {
  const now = options.now ?? Date.now;
  let cached: AccessToken | undefined;
  let pending: Promise<string> | undefined;

  function fresh(token: AccessToken | undefined): token is AccessToken {
    if (!token) return false;
    const renewAt = Math.min(
      token.refreshAfterTimestamp ?? Infinity,
      token.expiresOnTimestamp - TOKEN_REFRESH_MARGIN_MS,
    );
    return now() < renewAt;
  }

  async function request(): Promise<string> {
    let token: AccessToken | null;
    try {
      token = await credential.getToken(POSTGRES_ENTRA_SCOPE, {
        abortSignal: AbortSignal.timeout(CONNECT_TIMEOUT_MS),
      });
    } catch (error) {
      const detail = (error instanceof Error ? error.message : String(error)).split("\n")[0];
      throw new DatabaseUnavailableError(
        `Could not get a Microsoft Entra token for PostgreSQL: ${detail}`,
        { cause: error },
      );
    }
    if (!token)
      throw new DatabaseUnavailableError("Microsoft Entra returned no token for PostgreSQL.");
    cached = token;
    return token.token;
  }

  return () => {
    if (fresh(cached)) return Promise.resolve(cached.token);
    // Connections opened together share one token request.
    pending ??= request().finally(() => (pending = undefined));
    return pending;
  };
}
