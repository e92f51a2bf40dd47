import "server-only";
// The server's structured log (pino): JSON lines in production (standard output, or LOG_FILE),
// readable lines in development. Lines carry ids, codes and durations; never a token, key, secret,
// password or email (apps/web/e2e/log-scan.spec.ts scans a whole browser run for them).
import { AsyncLocalStorage } from "node:async_hooks";
import { createHmac } from "node:crypto";
import pino from "pino";
import { userTagger, type RequestLog } from "@acs-stack/acs-server";
import { authSecret, env } from "~/env";
import { prettyLogLine, requestIdFrom } from "./log-format";

export { requestIdFrom };

/** Keys that must never be logged, whatever a future line passes: replaced by pino before writing. */
const REDACTED_KEYS = [
  "password",
  "token",
  "email",
  "secret",
  "authorization",
  "cookie",
  "connectionString",
  "accessKey",
];

function createLogger(): pino.Logger {
  const options: pino.LoggerOptions = {
    level: env.LOG_LEVEL,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]),
      censor: "[redacted]",
    },
  };
  if (env.LOG_FILE) return pino(options, pino.destination({ dest: env.LOG_FILE, mkdir: true }));
  if (env.NODE_ENV === "production") return pino(options);
  // Development: the same records, formatted for a terminal (no pino-pretty worker to bundle).
  return pino(options, { write: (line: string) => process.stdout.write(prettyLogLine(line)) });
}

const holder = globalThis as { __acsStackLogger?: pino.Logger };

/** One logger per server process (on globalThis, so Next's dev HMR does not open the file twice). */
export function getLogger(): pino.Logger {
  return (holder.__acsStackLogger ??= createLogger());
}

let tagUser: ((userId: string) => string) | undefined;

/**
 * Pseudonyms of user ids in log lines: HMAC-SHA256 (acs-server's userTagger) under a key derived from
 * AUTH_SECRET, so no new secret is needed and the secret itself never meets the logger. Keyed rather
 * than a plain hash: user ids are visible to other users (directory search), see userTagger.
 */
export function userTag(userId: string): string {
  tagUser ??= userTagger(
    createHmac("sha256", authSecret()).update("acs-stack log user tag").digest(),
  );
  return tagUser(userId);
}

/** The request id of the server action (or other scope) running now, when one was set. */
const requestScope = new AsyncLocalStorage<{ requestId: string }>();

export function runWithRequestId<T>(requestId: string, fn: () => Promise<T>): Promise<T> {
  return requestScope.run({ requestId }, fn);
}

/** What acs-server's tRPC context needs to log each call of this request. */
export function requestLog(requestId = requestScope.getStore()?.requestId): RequestLog {
  return { logger: getLogger(), requestId: requestId ?? requestIdFrom(null), tagUser: userTag };
}
