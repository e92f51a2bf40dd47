// The parts of presence fan-out that run on their own: the LISTEN connection's reconnect after
// PostgreSQL drops it, and the sweeper's timer (no manual sweep()).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDatabase } from "../../src/db";
import { readServerEnv } from "../../src/env";
import { acsServerRouter } from "../../src/root";
import { createAcsServices } from "../../src/services";
import { createCallerFactory, createTRPCContext } from "../../src/trpc";
import type { TestAcs } from "../helpers/emulator";
import { startTestAcs } from "../helpers/emulator";
import type { PostgresCluster } from "../helpers/postgres";
import { startPostgresCluster } from "../helpers/postgres";
import { manualClock, readWatch } from "../helpers/presence";
import { createTestUser } from "../helpers/users";

let cluster: PostgresCluster;
let acs: TestAcs;
beforeAll(async () => {
  [cluster, acs] = await Promise.all([startPostgresCluster(), startTestAcs()]);
});
afterAll(async () => {
  await acs?.close();
  await cluster?.stop();
});

describe("database.listen on PostgreSQL", () => {
  it("delivers notify() from another instance, and again after the LISTEN connection was killed", async () => {
    const [listener, notifier] = await Promise.all([
      createDatabase({ url: cluster.url }),
      createDatabase({ url: cluster.url }),
    ]);
    try {
      let reconnected!: () => void;
      const reconnect = new Promise<void>((r) => (reconnected = r));
      const payloads: string[] = [];
      let arrived: (() => void) | undefined;
      await listener.listen("acs_test", (p) => (payloads.push(p), arrived?.()), {
        onReconnect: () => reconnected(),
      });
      const waitFor = (n: number) =>
        new Promise<void>((r) => {
          arrived = () => payloads.length >= n && r();
          arrived();
        });

      await notifier.notify("acs_test", "first");
      await waitFor(1);

      // The server ends the listening backend (as a failover or idle-kill would).
      const killed: unknown = await notifier.orm.execute(
        "select pg_terminate_backend(pid) as killed from pg_stat_activity where query ilike 'LISTEN%'",
      );
      expect((killed as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
      await reconnect;

      await notifier.notify("acs_test", "second");
      await waitFor(2);
      expect(payloads).toEqual(["first", "second"]);
    } finally {
      await Promise.all([listener.close(), notifier.close()]);
    }
  });

  it("refuses channel names that are not plain identifiers", async () => {
    const database = await createDatabase({ url: cluster.url });
    try {
      await expect(database.listen("x; drop table presence", () => undefined)).rejects.toThrow(
        /Invalid notification channel/,
      );
    } finally {
      await database.close();
    }
  });
});

describe("presence sweeper timer", () => {
  it("marks a silent user offline on its own and tells the watchers; close() ends the streams", async () => {
    const database = await createDatabase({ url: cluster.url });
    const clock = manualClock();
    const services = await createAcsServices({
      env: readServerEnv({}),
      database,
      gateway: acs.gateway,
      now: clock.now,
      presence: { sweepIntervalMs: 20 },
    });
    try {
      const on = (user: { id: string }) =>
        createCallerFactory(acsServerRouter)(createTRPCContext({ user, services })).acs;
      const [vic, wes] = await Promise.all([
        createTestUser(database, "Vic"),
        createTestUser(database, "Wes"),
      ]);
      await Promise.all([on(vic).token.issue({}), on(wes).token.issue({})]);
      await on(wes).directory.addToChat({ userIds: [vic.id] });
      await on(vic).presence.heartbeat();
      const watch = readWatch(await on(wes).presence.watch({ userIds: [vic.id] }));
      expect(await watch.next()).toMatchObject({ state: "online" });

      clock.advance(60_001);
      expect(await watch.next()).toMatchObject({ userId: vic.id, state: "offline" });

      // Shutting the services down ends open streams (no request hangs on a closed instance).
      await services.close();
      await expect(watch.next()).rejects.toThrow("the presence stream ended");
    } finally {
      await services.close();
      await database.close();
    }
  });
});
