import { readFileSync } from "node:fs";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDatabase } from "../../src/db";
import { MIGRATIONS_FOLDER } from "../../src/db/migrations-folder";
import type { PostgresCluster } from "../helpers/postgres";
import { startPostgresCluster } from "../helpers/postgres";
import { describeEntraTokensMigration } from "./entra-token-suite";
import { describeStoreSuite } from "./store-suite";

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

describeStoreSuite("postgres", () => createDatabase({ url: cluster.url }));

/** A database of its own in the cluster, created on first use. */
let migrationUrl: Promise<string> | undefined;
async function createMigrationDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query("create database entra_tokens_migration");
  } finally {
    await admin.end();
  }
  const url = new URL(cluster.url);
  url.pathname = "/entra_tokens_migration";
  return url.toString();
}
describeEntraTokensMigration("postgres", async (migrationsFolder) =>
  createDatabase({
    url: await (migrationUrl ??= createMigrationDatabase()),
    ...(migrationsFolder && { migrationsFolder }),
  }),
);

describe("migrations on PostgreSQL", () => {
  it("apply once when several instances open the same database at once", async () => {
    const databases = await Promise.all(
      Array.from({ length: 3 }, () => createDatabase({ url: cluster.url })),
    );
    try {
      const [first] = databases;
      // node-postgres answers execute() with a pg QueryResult.
      const result: unknown = await first!.orm.execute(
        "select count(*)::int as n from drizzle.__drizzle_migrations",
      );
      // Each migration of the journal recorded exactly once, not once per instance.
      const journal = JSON.parse(
        readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
      ) as {
        entries: unknown[];
      };
      expect((result as { rows: Array<{ n: number }> }).rows[0]?.n).toBe(journal.entries.length);
    } finally {
      await Promise.all(databases.map((d) => d.close()));
    }
  });
});
