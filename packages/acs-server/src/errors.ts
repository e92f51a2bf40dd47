// Domain errors thrown below the tRPC layer, and the single mapping of every failure to a
// TRPCError (used once, by the boundary middleware in trpc.ts).
import { TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";

import type { AcsErrorCode } from "./contract";
import { AcsGatewayError } from "./control-plane/identity-gateway";
import { asDatabaseUnavailable } from "./db/unavailable";

export { DatabaseUnavailableError } from "./db/unavailable";

/** The caller asked for scopes the server-side scope policy does not grant them. */
export class ScopeNotAllowedError extends Error {
  constructor(readonly scopes: readonly string[]) {
    super(`Scope not allowed for this user: ${scopes.join(", ")}.`);
    this.name = "ScopeNotAllowedError";
  }
}

/** Too many token issuances, or ACS identity creations, for this user in the current window. */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    /** What was counted, in words for the message ("token requests", "directory searches"). */
    readonly what = "token requests",
  ) {
    super(`Too many ${what}; retry in ${retryAfterSeconds} s.`);
    this.name = "RateLimitedError";
  }
}

/** The caller's sign-in session ended while the request waited (e.g. "sign out everywhere" revoked its tokens). */
export class SessionEndedError extends Error {
  constructor() {
    super("Your sign-in session has ended: sign in again.");
    this.name = "SessionEndedError";
  }
}

/** refresh() without a live grant: never issued, revoked, or the identity was deleted. */
export class NoCurrentGrantError extends Error {
  constructor(readonly reason: "none" | "revoked") {
    super(
      reason === "none"
        ? "No token grant to refresh: call acs.token.issue first."
        : "The tokens of this user were revoked: sign in again and call acs.token.issue.",
    );
    this.name = "NoCurrentGrantError";
  }
}

/** The session names an app user that does not exist (deleted account, stale session). */
export class UnknownAppUserError extends Error {
  constructor() {
    super("The signed-in user does not exist in this app.");
    this.name = "UnknownAppUserError";
  }
}

/** Presence needs the caller's current token grant (not revoked, not expired) to include `presence`. */
export class PresenceNotGrantedError extends Error {
  constructor(readonly reason: "none" | "revoked" | "expired" | "scope") {
    const messages = {
      none: "Presence needs a token grant with the presence scope: call acs.token.issue first.",
      revoked:
        "Presence needs a current token grant: this user's tokens were revoked; sign in again and call acs.token.issue.",
      expired:
        "Presence needs a current token grant: the last one expired; call acs.token.refresh.",
      scope:
        'The current token grant does not include the presence scope: call acs.token.issue with scopes including "presence".',
    } as const;
    super(messages[reason]);
    this.name = "PresenceNotGrantedError";
  }
}

/** The caller asked to watch users who neither allowed it nor share a chat the app set up with it. */
export class PresenceNotVisibleError extends Error {
  constructor(readonly count: number) {
    super(
      `You may only watch the presence of users who allowed you or whom you added to a chat, or who added you (${count} requested user${count === 1 ? " is" : "s are"} not visible to you).`,
    );
    this.name = "PresenceNotVisibleError";
  }
}

/** What the person sees when ACS (or our check) finds their Entra token unusable: signing in again fixes it. */
export const TEAMS_SIGN_IN_INVALID_MESSAGE =
  "Your Microsoft sign-in has expired or is not valid; sign in again.";

/** acs.teams.exchangeToken without an Entra sign-in (the host app's `teamsUserToken` gave none). */
export class TeamsSignInRequiredError extends Error {
  constructor() {
    super("Sign in with Microsoft Entra ID to use a Teams identity.");
    this.name = "TeamsSignInRequiredError";
  }
}

/** The Entra token is not a JWT at all (ACS would refuse it the same way). */
export class TeamsSignInInvalidError extends Error {
  constructor() {
    super(TEAMS_SIGN_IN_INVALID_MESSAGE);
    this.name = "TeamsSignInInvalidError";
  }
}

/** The Entra token was issued to another app, or names another person, than the sign-in claims. */
export class TeamsSignInMismatchError extends Error {
  constructor(readonly claim: "app" | "user") {
    super(
      claim === "app"
        ? "Your Microsoft sign-in was issued to another app; sign in to this app again."
        : "Your Microsoft sign-in belongs to another person than the one signed in here.",
    );
    this.name = "TeamsSignInMismatchError";
  }
}

/** PostgreSQL SQLSTATE of an error from either driver (drizzle wraps it in `cause`). */
export function pgErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") return undefined;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isDatabaseError(error: unknown): boolean {
  return (
    pgErrorCode(error) !== undefined ||
    (error instanceof Error &&
      ["DrizzleQueryError", "DatabaseError", "DrizzleError"].includes(error.name))
  );
}

/** A failure with one of the codes clients branch on (the contract's ACS_ERROR_CODES). */
function failure(code: AcsErrorCode, message: string, cause: unknown): TRPCError {
  return new TRPCError({ code, message, cause });
}

/** Maps any failure of a procedure to the TRPCError the caller sees. Never leaks secrets or SQL. */
export function toTRPCError(error: unknown): TRPCError {
  const cause = error instanceof TRPCError && error.cause ? error.cause : error;
  if (cause instanceof AcsGatewayError) return fromGatewayError(cause);
  if (
    cause instanceof ScopeNotAllowedError ||
    cause instanceof PresenceNotGrantedError ||
    cause instanceof PresenceNotVisibleError ||
    cause instanceof TeamsSignInMismatchError
  ) {
    return failure("FORBIDDEN", cause.message, cause);
  }
  if (cause instanceof RateLimitedError) {
    return failure("TOO_MANY_REQUESTS", cause.message, cause);
  }
  if (cause instanceof PresenceWatchLimitError) {
    return failure("TOO_MANY_REQUESTS", cause.message, cause);
  }
  if (cause instanceof InvalidChatMembersError) {
    return failure(cause.reason === "self" ? "BAD_REQUEST" : "NOT_FOUND", cause.message, cause);
  }
  if (cause instanceof TeamsSignInRequiredError) {
    return failure("PRECONDITION_FAILED", cause.message, cause);
  }
  if (
    cause instanceof NoCurrentGrantError ||
    cause instanceof UnknownAppUserError ||
    cause instanceof SessionEndedError ||
    cause instanceof TeamsSignInInvalidError
  ) {
    return failure("UNAUTHORIZED", cause.message, cause);
  }
  if (cause instanceof ZodError) {
    // The same readable message for in-process callers as the error formatter gives HTTP clients.
    return failure("BAD_REQUEST", z.prettifyError(cause), cause);
  }
  if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") return error;
  // Down, restarting, or too slow to answer within the time-outs of db/connections.ts: retry later.
  const unavailable = asDatabaseUnavailable(cause);
  if (unavailable) {
    return failure(
      "SERVICE_UNAVAILABLE",
      "The database is unavailable; try again shortly.",
      unavailable,
    );
  }
  if (isDatabaseError(cause)) {
    return failure("INTERNAL_SERVER_ERROR", "The database failed to answer the request.", cause);
  }
  return failure("INTERNAL_SERVER_ERROR", "Internal server error.", cause);
}

function fromGatewayError(cause: AcsGatewayError): TRPCError {
  switch (cause.kind) {
    case "unreachable":
      return failure("SERVICE_UNAVAILABLE", `ACS is unreachable: ${cause.message}`, cause);
    case "credentials-rejected":
      // The message stays generic: the detail may name the credential.
      return failure("INTERNAL_SERVER_ERROR", "ACS rejected the server credentials.", cause);
    case "not-found":
      return failure("NOT_FOUND", `ACS does not know this identity: ${cause.message}`, cause);
    case "bad-request":
      return failure("BAD_REQUEST", `ACS refused the request: ${cause.message}`, cause);
    case "throttled":
      return failure("TOO_MANY_REQUESTS", `ACS is throttling requests: ${cause.message}`, cause);
    case "teams-token-invalid":
      // Expired, not signed by Entra, or for another audience: the person signs in again.
      return failure("UNAUTHORIZED", TEAMS_SIGN_IN_INVALID_MESSAGE, cause);
    case "teams-token-refused":
      return failure(
        "FORBIDDEN",
        `ACS refused to exchange your Microsoft sign-in for a Teams identity: ${cause.message}`,
        cause,
      );
    case "unexpected":
      return failure("INTERNAL_SERVER_ERROR", `ACS answered unexpectedly: ${cause.message}`, cause);
  }
}

/** addToChat named the caller or users that do not exist. */
export class InvalidChatMembersError extends Error {
  constructor(
    readonly reason: "self" | "unknown",
    count = 1,
  ) {
    super(
      reason === "self"
        ? "You are in your own chats already: leave yourself out of userIds."
        : `${count} of the named users ${count === 1 ? "does" : "do"} not exist.`,
    );
    this.name = "InvalidChatMembersError";
  }
}

/** Too many open presence watch streams for this user, or a stream whose reader fell too far behind. */
export class PresenceWatchLimitError extends Error {
  constructor(
    readonly reason: "streams" | "overflow",
    readonly limit: number,
  ) {
    super(
      reason === "streams"
        ? `At most ${limit} presence watch streams per user at once: close one first.`
        : `The presence stream fell more than ${limit} events behind and was closed: watch again.`,
    );
    this.name = "PresenceWatchLimitError";
  }
}
