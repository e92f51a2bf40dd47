// One Database for both drivers: PGlite (a data dir, or in memory) by default, PostgreSQL (pg Pool)
// when a URL is given. Migrations (MIGRATIONS_FOLDER) are applied on open. Both carry LISTEN/NOTIFY
// (PGlite in-process, PostgreSQL over one dedicated connection) for fan-out across instances.
// PostgreSQL connections, their limits and time-outs: connections.ts (README "Database connections").
import { mkdir } from "node:fs/promises";

import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";

import { createAdvisoryLocks } from "./advisory-lock";
import type { ConnectionTarget, PasswordSource } from "./connections";
import { DEFAULT_POOL_MAX, clientConfig, createPool } from "./connections";
import { createKeyedMutex } from "./keyed-mutex";
import { MIGRATIONS_FOLDER } from "./migrations-folder";
import type { ListenOptions, ListenerState, NotificationHandler } from "./pg-listener";
import { assertChannelName, createPgListener } from "./pg-listener";
import * as schema from "./schema";
import { rethrowClassified } from "./unavailable";

export { schema };
export type { ListenOptions, ListenerState, NotificationHandler } from "./pg-listener";
export type { PasswordSource } from "./connections";
export { DatabaseUnavailableError } from "./unavailable";
export type Schema = typeof schema;
export type Orm = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  /** Drizzle over whichever driver is open; the same query API for both. */
  readonly orm: Orm;
  readonly driver: "pglite" | "postgres";
  /**
   * LISTENs on `channel` (once per process and channel, shared by all handlers); resolves when active,
   * rejects with DatabaseUnavailableError when it cannot be made active now. Returns the unsubscribe
   * function. PostgreSQL reconnects after a lost connection (`onDisconnect`, then `onReconnect`).
   */
  listen(
    channel: string,
    handler: NotificationHandler,
    options?: ListenOptions,
  ): Promise<() => Promise<void>>;
  /**
   * Whether notifications arrive now: "live", "down" (the LISTEN connection is lost or could not be
   * opened; notifications are missed meanwhile: poll the database), "idle" (nothing listened yet),
   * "closed". PGlite listens in-process: "live" until closed.
   */
  listenerState(): ListenerState;
  /** PostgreSQL connections this instance may open at most (all zero on PGlite). */
  readonly connectionLimits: { data: number; locks: number; listen: number };
  /** `pg_notify(channel, payload)`: reaches every listener of every instance on this database. */
  notify(channel: string, payload: string): Promise<void>;
  /**
   * Runs `fn` while no other holder of `key` runs, in every instance on this database: a PostgreSQL
   * advisory lock (see advisory-lock.ts); on PGlite, whose data dir one process owns, a queue in this
   * process. Not re-entrant: `fn` must not take the same key again.
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** One round trip (`select 1`): resolves when the database answers (health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; wins over dataDir/memory. */
  url?: string;
  /**
   * A direct URL to the same database (not through PgBouncer) for the session-bound connections:
   * LISTEN, advisory locks and migrations (DATABASE_URL_UNPOOLED). Default: `url`.
   */
  unpooledUrl?: string;
  /** Replaces the URLs' password: a fixed one, or a function called per new connection (entra-password.ts). */
  password?: PasswordSource;
  /** Connections of the data pool, and of the advisory-lock pool (each). Default DEFAULT_POOL_MAX (10). */
  poolMax?: number;
  /** PGlite data directory (created when missing). */
  dataDir?: string;
  /** PGlite in memory (tests, throw-away runs). Default when neither url nor dataDir is given. */
  memory?: boolean;
  /** Another folder of SQL migrations (tests of a migration); default MIGRATIONS_FOLDER. */
  migrationsFolder?: string;
}

/** Serialises migrations of several instances starting at once against one PostgreSQL. */
const MIGRATION_LOCK_KEY = 0x4143_5301;

export async function createDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const migrationsFolder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
  if (options.url) return openPostgres(options as PostgresOptions, migrationsFolder);
  return openPglite(options.memory ? undefined : options.dataDir, migrationsFolder);
}

async function openPglite(
  dataDir: string | undefined,
  migrationsFolder: string,
): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  const orm = drizzlePglite(client, { schema });
  try {
    await migratePglite(orm, { migrationsFolder });
  } catch (error) {
    await client.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const locks = createKeyedMutex();
  return {
    orm,
    driver: "pglite",
    async listen(channel, handler) {
      assertChannelName(channel);
      const unlisten = await client.listen(channel, handler);
      return () => (closing ? Promise.resolve() : unlisten());
    },
    listenerState: () => (closing ? "closed" : "live"),
    connectionLimits: { data: 0, locks: 0, listen: 0 },
    async notify(channel, payload) {
      await client.query("select pg_notify($1, $2)", [channel, payload]);
    },
    withLock: (key, fn) => locks.run(key, fn),
    async ping() {
      await client.query("select 1");
    },
    close: () => (closing ??= client.close()),
  };
}

type PostgresOptions = DatabaseOptions & { url: string };

async function openPostgres(options: PostgresOptions, migrationsFolder: string): Promise<Database> {
  const password = options.password !== undefined ? { password: options.password } : {};
  const pooled: ConnectionTarget = {
    url: options.url,
    ...password,
    direct: options.unpooledUrl === undefined,
  };
  const unpooled: ConnectionTarget = {
    url: options.unpooledUrl ?? options.url,
    ...password,
    direct: true,
  };
  const poolMax = options.poolMax ?? DEFAULT_POOL_MAX;
  await migrate(unpooled, migrationsFolder);
  const pool = createPool({ ...clientConfig("data", pooled), max: poolMax });
  const listener = createPgListener(clientConfig("listen", unpooled));
  const locks = createAdvisoryLocks(clientConfig("locks", unpooled), poolMax);
  let closing: Promise<void> | undefined;
  return {
    orm: drizzleNodePg(pool, { schema }),
    driver: "postgres",
    listen: (channel, handler, listenOptions) => listener.listen(channel, handler, listenOptions),
    listenerState: () => listener.state(),
    connectionLimits: { data: poolMax, locks: poolMax, listen: 1 },
    async notify(channel, payload) {
      await pool.query("select pg_notify($1, $2)", [channel, payload]);
    },
    withLock: (key, fn) => locks.run(key, fn),
    async ping() {
      await pool.query("select 1");
    },
    close: () =>
      (closing ??= Promise.all([listener.close(), locks.close(), pool.end()]).then(
        () => undefined,
      )),
  };
}

/** Applies the migrations on one session of its own, under an advisory lock (several instances may start at once). */
async function migrate(target: ConnectionTarget, migrationsFolder: string): Promise<void> {
  const client = new pg.Client(clientConfig("migrate", target));
  client.on("error", () => undefined); // a dropped connection rejects the pending query instead
  await client.connect().catch(rethrowClassified);
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await migrateNodePg(drizzleNodePg(client, { schema }), { migrationsFolder });
  } finally {
    // Ending the session releases the lock too.
    await client.end().catch(() => undefined);
  }
}
