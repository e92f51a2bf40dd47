// PostgreSQL stopped for 5 s under load and started again (pg_ctl stop -m fast / start on the same
// port and data): requests in between fail fast with SERVICE_UNAVAILABLE, the pool and the LISTEN
// connection are back within 5 s of its return, and no identity is duplicated or grant lost.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../../src/db";
import { DatabaseUnavailableError, createDatabase } from "../../src/db";
import { CONNECT_TIMEOUT_MS, QUERY_TIMEOUT_MS } from "../../src/db/connections";
import { readServerEnv } from "../../src/env";
import type { AcsServices } from "../../src/services";
import { createAcsServices } from "../../src/services";
import type { SessionUser } from "../../src/contract";
import type { TestAcs } from "../helpers/emulator";
import { startTestAcs } from "../helpers/emulator";
import type { PostgresCluster } from "../helpers/postgres";
import { startPostgresCluster } from "../helpers/postgres";
import { createTestUser } from "../helpers/users";
import {
  acsAccepts,
  callerFor,
  checkIdentitiesAndGrants,
  pollUntil,
  startLoad,
  unexpected,
} from "./load";

const USERS = 12;
const OUTAGE_MS = 5_000;
/** The issue's bound: pool and LISTEN work again this soon after PostgreSQL accepts connections. */
const RECOVERY_MS = 5_000;

let cluster: PostgresCluster;
let acs: TestAcs;
let database: Database;
let services: AcsServices;
let users: SessionUser[];

beforeAll(async () => {
  [cluster, acs] = await Promise.all([startPostgresCluster(), startTestAcs()]);
  database = await createDatabase({ url: cluster.url });
  services = await createAcsServices({
    env: readServerEnv({}),
    database,
    gateway: acs.gateway,
    tokenRateLimitPerMinute: 100_000,
    callLimitsPerMinute: { presenceSet: 100_000 },
    presence: { sweepIntervalMs: 0 },
  });
  users = await Promise.all(
    Array.from({ length: USERS }, (_, i) => createTestUser(database, `Load ${i}`)),
  );
  // Every user has an identity and a grant before the fault (refresh needs one).
  await Promise.all(users.map((user) => callerFor(services, user).token.issue({})));
}, 60_000);

afterAll(async () => {
  await services?.close();
  await database?.close();
  await acs?.close();
  await cluster?.stop();
});

describe("PostgreSQL stopped for 5 s under load", () => {
  it("fails fast with SERVICE_UNAVAILABLE, recovers pool and LISTEN within 5 s, loses nothing", async () => {
    const heard: string[] = [];
    const transitions: string[] = [];
    await database.listen("acs_resilience", (payload) => heard.push(payload), {
      onDisconnect: () => transitions.push("disconnect"),
      onReconnect: () => transitions.push("reconnect"),
    });
    expect(database.listenerState()).toBe("live");

    const load = startLoad(services, users);
    const okBefore = () =>
      new Set(load.records.filter((r) => r.outcome === "ok").map((r) => r.user));
    await pollUntil("every user served before the fault", () => okBefore().size === USERS, 20_000);

    await cluster.stopServer();
    const down = Date.now();
    await pollUntil("LISTEN reported down", () => database.listenerState() === "down", 2_000);
    expect(transitions).toEqual(["disconnect"]);
    // A new subscription cannot be made live now: listen() says so at once (presence falls back).
    await expect(database.listen("acs_during_outage", () => undefined)).rejects.toBeInstanceOf(
      DatabaseUnavailableError,
    );
    expect(database.listenerState()).toBe("down");
    // The fault's length, not a synchronisation: the load keeps running meanwhile.
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    const restarting = Date.now();
    await cluster.startServer();
    const up = Date.now();

    const poolRecoveryMs = await pollUntil(
      "pool answers",
      async () => (await database.orm.execute(sql`select 1`), true),
      RECOVERY_MS,
    );
    let ping = 0;
    const listenRecoveryMs = await pollUntil(
      "LISTEN delivers",
      async () => {
        if (database.listenerState() !== "live") return false;
        await database.notify("acs_resilience", `ping ${++ping}`);
        await pollUntil("notification", () => heard.includes(`ping ${ping}`), 500, 10);
        return true;
      },
      RECOVERY_MS,
    );
    expect(transitions).toEqual(["disconnect", "reconnect"]);
    const servedAfter = () =>
      new Set(
        load.records.filter((r) => r.outcome === "ok" && r.startedAt >= up).map((r) => r.user),
      );
    const requestRecoveryMs = await pollUntil(
      "every user served again",
      () => servedAfter().size === USERS,
      RECOVERY_MS + 5_000,
    );
    const records = await load.stop();

    // Fail fast: every call that ran wholly inside the outage failed, with SERVICE_UNAVAILABLE, in
    // less than the pool's connection time-out; nothing anywhere failed otherwise or hung.
    const inOutage = records.filter((r) => r.startedAt >= down && r.endedAt <= restarting);
    expect(inOutage.length).toBeGreaterThan(USERS);
    expect(inOutage.filter((r) => r.outcome !== "SERVICE_UNAVAILABLE")).toEqual([]);
    expect(Math.max(...inOutage.map((r) => r.endedAt - r.startedAt))).toBeLessThan(
      CONNECT_TIMEOUT_MS,
    );
    expect(unexpected(records)).toEqual([]);
    expect(Math.max(...records.map((r) => r.endedAt - r.startedAt))).toBeLessThan(
      CONNECT_TIMEOUT_MS + QUERY_TIMEOUT_MS,
    );
    const failures = records.filter((r) => r.outcome !== "ok");
    expect(new Set(failures.map((r) => r.message))).toEqual(
      new Set(["The database is unavailable; try again shortly."]),
    );

    expect(poolRecoveryMs).toBeLessThan(RECOVERY_MS);
    expect(listenRecoveryMs).toBeLessThan(RECOVERY_MS);

    const { duplicatedIdentities, lostGrants, grantsChecked } = await checkIdentitiesAndGrants(
      database,
      records,
    );
    expect(duplicatedIdentities).toEqual([]);
    expect(lostGrants).toEqual([]);
    // The last token of each user still works in ACS, and refresh finds every user's grant.
    for (const user of users) {
      const last = records.filter((r) => r.user === user && r.issued).at(-1)!.issued!;
      await expect(
        acsAccepts(acs.emulator.endpoint, acs.emulator.caCertPem, last.token),
      ).resolves.toBe(true);
      const refreshed = await callerFor(services, user).token.refresh();
      expect(refreshed.acsUserId).toBe(last.acsUserId);
    }
    console.info(
      `database outage: ${records.length} calls (${inOutage.length} inside the ${OUTAGE_MS} ms outage, ` +
        `${failures.length} failed, all SERVICE_UNAVAILABLE, slowest failure ` +
        `${Math.max(...failures.map((r) => r.endedAt - r.startedAt))} ms); server up in ${up - restarting} ms; ` +
        `recovered after it: pool ${poolRecoveryMs} ms, LISTEN ${listenRecoveryMs} ms, every user ` +
        `${requestRecoveryMs} ms; ${grantsChecked} grants checked`,
    );
  }, 90_000);
});
