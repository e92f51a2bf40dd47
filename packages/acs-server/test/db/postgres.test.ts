import { readFileSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDatabase } from "../../src/db";
import type { PostgresCluster } from "../helpers/postgres";
import { startPostgresCluster } from "../helpers/postgres";
import { describeStoreSuite } from "./store-suite";

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

describeStoreSuite("postgres", () => createDatabase({ url: cluster.url }));

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
        readFileSync(new URL("../../drizzle/meta/_journal.json", import.meta.url), "utf8"),
      ) as {
        entries: unknown[];
      };
      expect((result as { rows: Array<{ n: number }> }).rows[0]?.n).toBe(journal.entries.length);
    } finally {
      await Promise.all(databases.map((d) => d.close()));
    }
  });
});
