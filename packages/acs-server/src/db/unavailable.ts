// The database could not be reached or did not answer in time: one typed error for every way that
// shows (refused or dropped connection, server shutting down or starting, pool or query time-out),
// classified where the connections live and mapped once at the tRPC boundary (SERVICE_UNAVAILABLE).

export class DatabaseUnavailableError extends Error {
  constructor(message = "The database is unavailable; try again shortly.", options?: ErrorOptions) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

/** Socket errors of a connection that never came up or went away. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/**
 * SQLSTATEs that say "not now" rather than "wrong request" (https://www.postgresql.org/docs/current/errcodes-appendix.html):
 * class 08 connection exception, 53 insufficient resources (too many connections, out of memory),
 * 57P01-57P03 shutdown/crash/starting up, 57014 statement_timeout, 55P03 lock_timeout.
 */
function isUnavailableSqlState(code: string): boolean {
  return (
    code.startsWith("08") ||
    code.startsWith("53") ||
    ["57P01", "57P02", "57P03", "57014", "55P03"].includes(code)
  );
}

/** Messages of node-postgres (pg, pg-pool) for lost connections and its client-side time-outs. */
const PG_CLIENT_MESSAGES = [
  /^Connection terminated/, // server went away, or connectionTimeoutMillis while connecting
  /^timeout exceeded when trying to connect/, // pool: no connection within connectionTimeoutMillis
  /^Query read timeout/, // query_timeout
  /is not queryable/, // a client whose connection already failed
  /^Cannot use a pool after calling end/, // shutting down
];

function unavailableReason(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return isUnavailableSqlState(code);
  }
  return typeof message === "string" && PG_CLIENT_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * The DatabaseUnavailableError that `error` is or carries (drizzle wraps driver errors in `cause`),
 * or a new one when `error` is a raw driver error of that kind; undefined for any other failure.
 */
export function asDatabaseUnavailable(error: unknown): DatabaseUnavailableError | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof DatabaseUnavailableError) return current;
    if (unavailableReason(current))
      return new DatabaseUnavailableError(undefined, { cause: error });
    if (typeof current !== "object") return undefined;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Rethrows `error` as a DatabaseUnavailableError when it is one, unchanged otherwise. */
export function rethrowClassified(error: unknown): never {
  throw asDatabaseUnavailable(error) ?? error;
}
