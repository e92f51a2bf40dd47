// What acs.token.issue and acs.token.refresh accept and answer.
import type { inferProcedureOutput } from "@trpc/server";

import type { tokenRouter } from "../router/token";

/**
 * Output of `acs.token.issue` / `acs.token.refresh`: `{ token, expiresOn, scopes, acsUserId, endpoint,
 * emulator, serverTime }` (ISO instants on the server clock). Read off the procedure, so the server's
 * answer and the client's expectation cannot drift apart.
 */
export type TokenResponse = inferProcedureOutput<(typeof tokenRouter)["issue"]>;

/** Bounds of `expiresInMinutes`, ACS's own (Identity API: 60..1440 minutes). */
export const MIN_TOKEN_LIFETIME_MINUTES = 60;
export const MAX_TOKEN_LIFETIME_MINUTES = 1440;
/** The lifetime of a token issued without `expiresInMinutes`. */
export const DEFAULT_TOKEN_LIFETIME_MINUTES = MAX_TOKEN_LIFETIME_MINUTES;
