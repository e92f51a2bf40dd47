// Bench: presence change propagation across two server instances on PostgreSQL. Instance 1 runs
// `acs.presence.set`; one watcher on instance 2 (the other instance: pool 2, LISTEN connection 2) and
// one on instance 1 (same-instance baseline) receive it. Each set is timed from the call to each
// watcher's event, so both paths see the same change under the same load. Also the set's own round trip.
// Never passes or fails on numbers. Runs from bench/run.ts, or alone: tsx bench/presence.ts [iterations]
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

import { startEmulator } from "@acs-stack/acs-emulator";
import { CommunicationIdentityClient } from "@azure/communication-identity";

import { SdkIdentityGateway } from "../src/control-plane/sdk-identity-gateway";
import { createDatabase } from "../src/db";
import { createUserStore } from "../src/db/users";
import type { PresenceSnapshot } from "../src/domain/presence";
import { readServerEnv } from "../src/env";
import { acsServerRouter } from "../src/root";
import type { AcsServices } from "../src/services";
import { createAcsServices } from "../src/services";
import { createCallerFactory, createTRPCContext } from "../src/trpc";
import { startPostgresCluster } from "../test/helpers/postgres";

const WARMUP = 30;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runPresenceBench(iterations = 300): Promise<void> {
  const emulator = await startEmulator({ port: 0, inMemory: true, logLevel: "silent" });
  const cluster = await startPostgresCluster();
  const databases = await Promise.all([
    createDatabase({ url: cluster.url }),
    createDatabase({ url: cluster.url }),
  ]);
  const gateway = new SdkIdentityGateway(
    new CommunicationIdentityClient(emulator.connectionString, {
      tlsOptions: { ca: emulator.caCertPem },
    }),
    { model: "emulator", endpoint: emulator.endpoint, emulator: true },
  );
  const build = (database: (typeof databases)[number]) =>
    createAcsServices({
      env: readServerEnv({}),
      database,
      gateway,
      presence: { sweepIntervalMs: 0 },
    });
  const [one, two] = await Promise.all([build(databases[0]), build(databases[1])]);
  const createCaller = createCallerFactory(acsServerRouter);
  const on = (services: AcsServices, id: string) =>
    createCaller(createTRPCContext({ user: { id }, services })).acs;

  try {
    const users = createUserStore(databases[0]);
    const [subject, watcher] = await Promise.all(
      ["Subject", "Watcher"].map((name) =>
        users.createUser({
          email: `${name}.${Date.now()}@bench.test`,
          displayName: `${name} bench`,
          passwordHash: null,
        }),
      ),
    );
    await on(one, subject!.id).token.issue({});
    await on(one, watcher!.id).token.issue({});
    await on(two, watcher!.id).directory.search({ query: "Subject bench" });

    const open = async (services: AcsServices) => {
      const stream = await on(services, watcher!.id).presence.watch({ userIds: [subject!.id] });
      const iterator = (stream as AsyncIterable<PresenceSnapshot>)[Symbol.asyncIterator]();
      await iterator.next(); // the current state
      return iterator;
    };
    const [otherInstance, sameInstance] = await Promise.all([open(two), open(one)]);

    const cross: number[] = [];
    const same: number[] = [];
    const roundTrip: number[] = [];
    for (let i = 0; i < WARMUP + iterations; i++) {
      const start = performance.now();
      const arrivals = [otherInstance, sameInstance].map((it) =>
        it.next().then(() => performance.now() - start),
      );
      await on(one, subject!.id).presence.set({ state: i % 2 ? "away" : "online", text: `#${i}` });
      const setDone = performance.now() - start;
      const [crossMs, sameMs] = await Promise.all(arrivals);
      if (i < WARMUP) continue;
      cross.push(crossMs!);
      same.push(sameMs!);
      roundTrip.push(setDone);
    }
    await Promise.all([otherInstance.return?.(), sameInstance.return?.()]);

    const line = (name: string, samples: number[]) =>
      console.log(
        `  ${name.padEnd(44)} p50 ${percentile(samples, 50).toFixed(2)} ms   p99 ${percentile(samples, 99).toFixed(2)} ms`,
      );
    console.log(
      `\nPresence propagation, PostgreSQL ${cluster.url.replace(/^.*@/, "")} (loopback), ${iterations} changes`,
    );
    line("set on instance 1 → watcher on instance 2", cross);
    line("set on instance 1 → watcher on instance 1", same);
    line("acs.presence.set round trip (createCaller)", roundTrip);
    const ratio = (a: number[], b: number[], p: number) =>
      (percentile(a, p) / percentile(b, p)).toFixed(2);
    console.log(
      `  ratio cross/same instance                   p50 ${ratio(cross, same, 50)}×    p99 ${ratio(cross, same, 99)}×`,
    );
    console.log(
      `  ratio cross-instance/set round trip         p50 ${ratio(cross, roundTrip, 50)}×    p99 ${ratio(cross, roundTrip, 99)}×`,
    );
  } finally {
    await Promise.all([one.close(), two.close()]);
    await Promise.all(databases.map((d) => d.close()));
    await cluster.stop();
    await emulator.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const iterations = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 300);
  await runPresenceBench(Math.min(Math.max(iterations, 20), 5000));
}
