// The failures a client can tell apart: the tRPC error code (`error.data.code` on a TRPCClientError).
// Every failure of a procedure is mapped once to one of these (toTRPCError in src/errors.ts, whose
// mapping is typed by this list); the message is for people, the code is for code.
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";

export const ACS_ERROR_CODES = [
  /** Invalid input (the message is zod's), or a request ACS refused as malformed. */
  "BAD_REQUEST",
  /** Not signed in, the sign-in session ended, or no current token grant: sign in again. */
  "UNAUTHORIZED",
  /** Signed in, but not allowed: a scope, presence visibility, another person's Entra sign-in. */
  "FORBIDDEN",
  /** No such user, or ACS does not know the identity. */
  "NOT_FOUND",
  /** A sign-in the procedure needs is missing (acs.teams.exchangeToken without Entra ID). */
  "PRECONDITION_FAILED",
  /** A rate limit; `error.data.retryAfterSeconds` says when to try again (when known). */
  "TOO_MANY_REQUESTS",
  /** The database or ACS is unreachable for now: retry later. */
  "SERVICE_UNAVAILABLE",
  /** Anything else; the message never carries the cause. */
  "INTERNAL_SERVER_ERROR",
] as const satisfies readonly TRPC_ERROR_CODE_KEY[];
export type AcsErrorCode = (typeof ACS_ERROR_CODES)[number];

/**
 * Codes from acs.token.issue / refresh that no retry fixes: the person must sign in again. The token
 * credential in acs-client stops retrying on these (state `revoked`).
 */
export const REVOKED_ERROR_CODES = [
  "UNAUTHORIZED",
  "PRECONDITION_FAILED",
] as const satisfies readonly AcsErrorCode[];
