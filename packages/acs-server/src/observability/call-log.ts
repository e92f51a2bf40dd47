// One structured log line per procedure call. acs-server owns no logging library: the host app hands
// in a pino-compatible logger (apps/web/src/server/log.ts) and the request's id through the tRPC
// context; without one, calls are not logged (tests, scripts).
import { createHmac } from "node:crypto";

import { TRPCError } from "@trpc/server";

import { AcsGatewayError } from "../control-plane/identity-gateway";
import { pgErrorCode } from "../errors";

/** Fields of one line; values are ids, codes, names and numbers, never input or error messages. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** The subset of pino's logger the procedures use (a pino logger satisfies it as is). */
export interface CallLogger {
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

/** What the host app passes per request to log its procedure calls. */
export interface RequestLog {
  logger: CallLogger;
  /** Correlates every line of one HTTP request (or server action). */
  requestId: string;
  /** A stable pseudonym of an app user id (see userTagger). */
  tagUser: (userId: string) => string;
}

/**
 * Keyed pseudonyms of user ids for log lines: HMAC-SHA256 under a server key, 16 hex characters.
 * Keyed rather than a plain SHA-256 because app user ids are not secret (the directory hands them to
 * other users): a plain hash of a known id would find that person's lines in any copy of the logs,
 * while the keyed tag can only be computed (e.g. for a support case) by someone holding the key.
 * 64 bits keep tags of different users apart at any realistic user count.
 */
export function userTagger(key: string | Uint8Array): (userId: string) => string {
  return (userId) => createHmac("sha256", key).update(userId).digest("hex").slice(0, 16);
}

export type CallOutcome = "ok" | TRPCError["code"];

/**
 * Why a call failed, in words that cannot carry input or secrets: the error's class, the ACS failure
 * kind and HTTP status, the PostgreSQL SQLSTATE. Messages are left out: a zod or ACS message can
 * quote what the caller sent.
 */
export function failureFields(error: TRPCError): LogFields {
  const cause = error.cause;
  return {
    errorType: cause?.name ?? error.name,
    ...(cause instanceof AcsGatewayError
      ? { acsFailure: cause.kind, acsStatus: cause.statusCode }
      : {}),
    ...(pgErrorCode(cause) ? { pgCode: pgErrorCode(cause) } : {}),
  };
}

/** Server faults are errors; refusals of the caller (4xx) are warnings. */
export function levelOf(outcome: CallOutcome): keyof CallLogger {
  if (outcome === "ok") return "info";
  return outcome === "INTERNAL_SERVER_ERROR" ||
    outcome === "SERVICE_UNAVAILABLE" ||
    outcome === "NOT_IMPLEMENTED"
    ? "error"
    : "warn";
}

export function outcomeOf(error: unknown): CallOutcome {
  return error instanceof TRPCError ? error.code : "INTERNAL_SERVER_ERROR";
}
