// One Database for both drivers: PGlite (a data dir, or in memory) by default, PostgreSQL (pg Pool)
// when a URL is given. Migrations from ../../drizzle are applied on open.
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";

import * as schema from "./schema";

export { schema };
export type Schema = typeof schema;
export type Orm = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  /** Drizzle over whichever driver is open; the same query API for both. */
  readonly orm: Orm;
  readonly driver: "pglite" | "postgres";
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; wins over dataDir/memory. */
  url?: string;
  /** PGlite data directory (created when missing). */
  dataDir?: string;
  /** PGlite in memory (tests, throw-away runs). Default when neither url nor dataDir is given. */
  memory?: boolean;
  /** Override where the SQL migrations live (bundlers that move this file). */
  migrationsFolder?: string;
}

const DEFAULT_MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));
/** Serialises migrations of several instances starting at once against one PostgreSQL. */
const MIGRATION_LOCK_KEY = 0x4143_5301;

export async function createDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const migrationsFolder = options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER;
  if (options.url) return openPostgres(options.url, migrationsFolder);
  return openPglite(options.memory ? undefined : options.dataDir, migrationsFolder);
}

async function openPglite(dataDir: string | undefined, migrationsFolder: string): Promise<Database> {
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
  return { orm, driver: "pglite", close: () => (closing ??= client.close()) };
}

async function openPostgres(url: string, migrationsFolder: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url });
  try {
    const lockClient = await pool.connect();
    try {
      await lockClient.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      await migrateNodePg(drizzleNodePg(lockClient, { schema }), { migrationsFolder });
    } finally {
      await lockClient.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
      lockClient.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    orm: drizzleNodePg(pool, { schema }),
    driver: "postgres",
    close: () => (closing ??= pool.end()),
  };
}
