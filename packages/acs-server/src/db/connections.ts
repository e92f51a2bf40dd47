// How this server connects to PostgreSQL: pool sizes, time-outs and the password source, in one
// place (README "Database connections" states the same numbers). Every wait is bounded, so a
// database that is down or stuck fails requests with DatabaseUnavailableError instead of hanging.
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";

import { rethrowClassified } from "./unavailable";

/** Data pool size when DATABASE_POOL_MAX is not set (pg's own default); the lock pool has as many. */
export const DEFAULT_POOL_MAX = 10;
/** Longest wait for a connection: a free one from the pool, or a new one (TCP, TLS, auth). */
export const CONNECT_TIMEOUT_MS = 5_000;
/** Server-side cap on one statement of the data pool (sent only on direct connections, see below). */
export const STATEMENT_TIMEOUT_MS = 5_000;
/** Client-side cap on one query of the data pool, for a server that stopped answering altogether. */
export const QUERY_TIMEOUT_MS = 6_000;
/**
 * Longest wait for a per-user advisory lock. The holder's worst case is two control-plane calls
 * (create identity + issue token, each ≤ ACS_CALL_TIMEOUT_MS = 5 s) and a few queries.
 */
export const LOCK_WAIT_TIMEOUT_MS = 20_000;

/** A fixed password, or a function pg calls for every new connection (an Entra token). */
export type PasswordSource = string | (() => Promise<string>);

/** What a connection is for; each gets its own settings and application_name in pg_stat_activity. */
export type ConnectionRole = "data" | "locks" | "listen" | "migrate";

export interface ConnectionTarget {
  url: string;
  /** Replaces the URL's password (the URL must then carry none). */
  password?: PasswordSource;
  /**
   * False when the URL goes through PgBouncer (a separate unpooled URL exists): PgBouncer refuses
   * startup parameters it does not track, such as statement_timeout.
   */
  direct: boolean;
}

const TIMEOUTS: Record<ConnectionRole, (direct: boolean) => pg.ClientConfig> = {
  data: (direct) => ({
    query_timeout: QUERY_TIMEOUT_MS,
    ...(direct ? { statement_timeout: STATEMENT_TIMEOUT_MS } : {}),
  }),
  // pg_advisory_lock waits for the holder: lock_timeout bounds it on the server (SQLSTATE 55P03).
  locks: () => ({
    lock_timeout: LOCK_WAIT_TIMEOUT_MS,
    query_timeout: LOCK_WAIT_TIMEOUT_MS + 5_000,
  }),
  // LISTEN is idle by design: no query time-out; keep-alive notices a dead peer.
  listen: () => ({}),
  // Migrations may rewrite big tables: no statement time-out.
  migrate: () => ({}),
};

/** The pg client configuration of `role` on `target` (the URL's own parameters win over ours). */
export function clientConfig(role: ConnectionRole, target: ConnectionTarget): pg.ClientConfig {
  const fromUrl = parseIntoClientConfig(target.url);
  if (target.password !== undefined) delete fromUrl.password;
  return {
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    // Shown in pg_stat_activity unless the URL names an application_name itself (and not sent
    // through PgBouncer, which may refuse it like any parameter it does not track).
    ...(target.direct
      ? { fallback_application_name: role === "data" ? "acs-server" : `acs-server-${role}` }
      : {}),
    ...TIMEOUTS[role](target.direct),
    ...fromUrl,
    ...(target.password !== undefined ? { password: target.password } : {}),
  };
}

/**
 * A pg Pool whose promise-returning `query` and `connect` reject with DatabaseUnavailableError when
 * the database cannot be reached (drizzle calls exactly those), and which survives idle connections
 * dropped by a server restart.
 */
export function createPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  // pg-pool discards an idle client whose connection failed; without a listener the error would
  // crash the process (e.g. every idle client gets 57P01 when PostgreSQL shuts down).
  pool.on("error", () => undefined);
  const classify =
    (method: (...args: unknown[]) => unknown) =>
    (...args: unknown[]): unknown => {
      const result = method(...args);
      return result instanceof Promise ? result.catch(rethrowClassified) : result;
    };
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = classify(query) as typeof pool.query;
  pool.connect = classify(connect) as typeof pool.connect;
  return pool;
}
