// Which connections a PostgreSQL Database opens, through which URL, with which limits: LISTEN,
// advisory locks and migrations go through DATABASE_URL_UNPOOLED (PgBouncer does not carry
// session state), the data pool through DATABASE_URL; each pool stays within DATABASE_POOL_MAX.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../../src/db";
import { createDatabase } from "../../src/db";
import { databaseOptionsFromEnv } from "../../src/db/config";
import { readServerEnv } from "../../src/env";
import { pgErrorCode, toTRPCError } from "../../src/errors";
import type { PostgresCluster } from "../helpers/postgres";
import { startPostgresCluster } from "../helpers/postgres";
import { rowsOf } from "./load";

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

const rows = rowsOf;

/** application_name of each connection of this cluster but the asking one, with its state. */
const activity = (database: Database) =>
  rows<{ application_name: string; query: string }>(
    database,
    sql`select application_name, query from pg_stat_activity
        where backend_type = 'client backend' and pid <> pg_backend_pid()`,
  );

describe("DATABASE_URL_UNPOOLED", () => {
  it("carries LISTEN and the advisory locks; DATABASE_URL carries the queries", async () => {
    const env = readServerEnv({
      DATABASE_URL: `${cluster.url}?application_name=via_pgbouncer`,
      DATABASE_URL_UNPOOLED: `${cluster.url}?application_name=direct`,
      DATABASE_POOL_MAX: "3",
    });
    const database = await createDatabase(databaseOptionsFromEnv(env));
    try {
      await database.listen("acs_unpooled", () => undefined);
      const listening = (await activity(database)).filter((a) => /^LISTEN/i.test(a.query));
      expect(listening.map((a) => a.application_name)).toEqual(["direct"]);

      const lockHolders = await database.withLock("unpooled-test", () =>
        rows<{ application_name: string }>(
          database,
          sql`select a.application_name from pg_locks l join pg_stat_activity a using (pid)
              where l.locktype = 'advisory' and l.granted`,
        ),
      );
      expect(lockHolders.map((r) => r.application_name)).toEqual(["direct"]);

      const [own] = await rows<{ name: string; statement_timeout: string }>(
        database,
        sql`select current_setting('application_name') as name,
                   current_setting('statement_timeout') as statement_timeout`,
      );
      // No statement_timeout startup parameter through PgBouncer (it refuses those it does not track).
      expect(own).toEqual({ name: "via_pgbouncer", statement_timeout: "0" });
      expect(database.connectionLimits).toEqual({ data: 3, locks: 3, listen: 1 });
    } finally {
      await database.close();
    }
  });
});

describe("connection limits and time-outs", () => {
  it("stays within the pool sizes under concurrency, names its connections, bounds statements", async () => {
    const database = await createDatabase({ url: cluster.url, poolMax: 4 });
    const other = await createDatabase({ url: cluster.url, poolMax: 1 });
    try {
      await database.listen("acs_limits", () => undefined);
      let peak = new Map<string, number>();
      const sample = async () => {
        const counts = new Map<string, number>();
        for (const a of await activity(other))
          counts.set(a.application_name, (counts.get(a.application_name) ?? 0) + 1);
        peak = new Map(
          [...new Set([...peak.keys(), ...counts.keys()])].map((k) => [
            k,
            Math.max(peak.get(k) ?? 0, counts.get(k) ?? 0),
          ]),
        );
      };
      // 20 keys locked at once, each holder running queries while a sampler counts connections.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          database.withLock(`key-${i}`, async () => {
            await Promise.all([database.orm.execute(sql`select pg_sleep(0.05)`), sample()]);
          }),
        ),
      );
      expect(peak.get("acs-server-locks")).toBe(4);
      expect(peak.get("acs-server-listen")).toBe(1);
      // The data pool of `database` (4) plus the one connection of `other` that samples.
      expect(peak.get("acs-server")).toBeLessThanOrEqual(4 + 1);
      expect(peak.get("acs-server")).toBeGreaterThan(1);

      const [settings] = await rows<{ statement_timeout: string }>(
        database,
        sql`select current_setting('statement_timeout') as statement_timeout`,
      );
      expect(settings).toEqual({ statement_timeout: "5s" });
      const slow = await database.orm.execute(sql`select pg_sleep(6)`).then(
        () => undefined,
        (error: unknown) => error,
      );
      // Cancelled by the server at statement_timeout (57014): "unavailable", not a hang.
      expect(pgErrorCode(slow)).toBe("57014");
      expect(toTRPCError(slow).code).toBe("SERVICE_UNAVAILABLE");
    } finally {
      await Promise.all([database.close(), other.close()]);
    }
  }, 30_000);

  it("defaults: 10 connections per pool, password auth, no unpooled URL", () => {
    const env = readServerEnv({ DATABASE_URL: cluster.url });
    expect(databaseOptionsFromEnv(env)).toEqual({ url: cluster.url, poolMax: 10 });
    expect(databaseOptionsFromEnv(readServerEnv({ PGLITE_DATA_DIR: "/tmp/x" }))).toEqual({
      dataDir: "/tmp/x",
    });
  });
});
