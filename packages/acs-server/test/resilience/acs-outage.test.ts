// The emulator (standing in for ACS) stopped for 5 s under load and started again on the same port
// with the same data dir. The gateway is the production one (connection-string model, the SDK's
// default retry policy): control-plane calls fail within ACS_CALL_TIMEOUT_MS with
// SERVICE_UNAVAILABLE, database-only calls go on, and everything works again after the restart.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { RunningEmulator } from "@acs-stack/acs-emulator";
import { startEmulator } from "@acs-stack/acs-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ACS_CALL_TIMEOUT_MS } from "../../src/control-plane/sdk-identity-gateway";
import type { Database } from "../../src/db";
import { createDatabase } from "../../src/db";
import { readServerEnv } from "../../src/env";
import type { AcsServices } from "../../src/services";
import { createAcsServices } from "../../src/services";
import type { SessionUser } from "../../src/contract";
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

const USERS = 8;
const OUTAGE_MS = 5_000;
const RECOVERY_MS = 5_000;
/** What a request adds to its control-plane call: a few queries and the per-user lock. */
const DATABASE_SHARE_MS = 2_000;

let dataDir: string;
let emulator: RunningEmulator;
let cluster: PostgresCluster;
let database: Database;
let services: AcsServices;
let users: SessionUser[];
/** The token each user got before the fault. */
let before: string[];

const emulatorOn = (port: number) => startEmulator({ port, dataDir, logLevel: "silent" });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "acs-outage-"));
  [emulator, cluster] = await Promise.all([emulatorOn(0), startPostgresCluster()]);
  database = await createDatabase({ url: cluster.url });
  services = await createAcsServices({
    env: readServerEnv({ ACS_CONNECTION_STRING: emulator.connectionString }),
    database,
    controlPlane: { log: () => undefined },
    tokenRateLimitPerMinute: 100_000,
    callLimitsPerMinute: { presenceSet: 100_000 },
    presence: { sweepIntervalMs: 0 },
  });
  expect(services.gateway.model).toBe("connection-string");
  users = await Promise.all(
    Array.from({ length: USERS }, (_, i) => createTestUser(database, `Acs load ${i}`)),
  );
  before = await Promise.all(
    users.map(async (user) => (await callerFor(services, user).token.issue({})).token),
  );
}, 60_000);

afterAll(async () => {
  await services?.close();
  await database?.close();
  await emulator?.close();
  await cluster?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("ACS (the emulator) stopped for 5 s under load", () => {
  it("fails control-plane calls within the deadline with SERVICE_UNAVAILABLE, then recovers", async () => {
    const load = startLoad(services, users);
    await pollUntil(
      "every user served before the fault",
      () =>
        new Set(load.records.filter((r) => r.outcome === "ok").map((r) => r.user)).size === USERS,
      20_000,
    );

    const port = emulator.port;
    await emulator.close();
    const down = Date.now();
    // The database-only path does not depend on ACS: presence goes on meanwhile.
    const presenceInOutage = await Promise.all(
      users.map((user) => callerFor(services, user).presence.set({ state: "busy" })),
    );
    expect(Date.now() - down).toBeLessThan(OUTAGE_MS);
    // The rest of the fault's length, not a synchronisation: the load keeps running meanwhile.
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - down)));
    const restarting = Date.now();
    emulator = await emulatorOn(port);
    const up = Date.now();

    const servedAfter = () =>
      new Set(
        load.records
          .filter((r) => r.outcome === "ok" && r.operation !== "presence" && r.startedAt >= up)
          .map((r) => r.user),
      );
    const recoveryMs = await pollUntil(
      "every user gets tokens again",
      () => servedAfter().size === USERS,
      RECOVERY_MS + ACS_CALL_TIMEOUT_MS,
    );
    const records = await load.stop();

    // Every token call that overlapped the outage failed with SERVICE_UNAVAILABLE, unless it reached
    // ACS before it went away, or the SDK's retries reached the restarted emulator in time.
    const acsCalls = records.filter((r) => r.operation !== "presence");
    const inOutage = acsCalls.filter((r) => r.startedAt < restarting && r.endedAt > down);
    const servedByNoAcs = inOutage.filter(
      (r) => r.outcome === "ok" && r.startedAt >= down && r.endedAt < up,
    );
    expect(servedByNoAcs).toEqual([]);
    const unavailable = inOutage.filter((r) => r.outcome === "SERVICE_UNAVAILABLE");
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unexpected(records)).toEqual([]);
    // No hang: the SDK's retries end at the call's deadline.
    const slowest = Math.max(...records.map((r) => r.endedAt - r.startedAt));
    expect(slowest).toBeLessThan(ACS_CALL_TIMEOUT_MS + DATABASE_SHARE_MS);
    for (const failure of records.filter((r) => r.outcome !== "ok"))
      expect(failure.message).toMatch(/^ACS is unreachable: ACS at https:\/\/127\.0\.0\.1:\d+\/ /);
    expect(presenceInOutage.map((p) => p.state)).toEqual(users.map(() => "busy"));

    const { duplicatedIdentities, lostGrants, grantsChecked } = await checkIdentitiesAndGrants(
      database,
      records,
    );
    expect(duplicatedIdentities).toEqual([]);
    expect(lostGrants).toEqual([]);
    // Tokens issued before the outage are still accepted (the emulator kept its data dir).
    for (const token of before)
      await expect(acsAccepts(emulator.endpoint, emulator.caCertPem, token)).resolves.toBe(true);
    const failures = records.filter((r) => r.outcome !== "ok");
    console.info(
      `ACS outage: ${records.length} calls, ${inOutage.length} token calls overlapped the ${OUTAGE_MS} ms ` +
        `outage (${unavailable.length} SERVICE_UNAVAILABLE, the rest answered before the stop or after the restart), ${failures.length} failed in all, slowest call ${slowest} ms ` +
        `(deadline ${ACS_CALL_TIMEOUT_MS} ms); ${presenceInOutage.length} presence.set calls answered during it; ` +
        `every user served again ${recoveryMs} ms after the restart; ${grantsChecked} grants checked`,
    );
  }, 90_000);
});
