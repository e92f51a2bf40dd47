// Bench: acs.token.issue through the HTTP fetch handler (session → context, DB, ACS emulator) against a
// raw CommunicationIdentityClient on the same emulator, in the same run. Prints p50/p99 and ratios;
// never passes or fails on numbers. Also the issue path with and without the per-user serialisation of
// issue/refresh/revoke (PGlite: in-process queue; --postgres: advisory lock), interleaved in the same run.
// Then presence propagation across two instances (bench/presence.ts).
// Usage: pnpm --filter @acs-stack/acs-server bench [iterations] [--postgres]
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";

import { startEmulator } from "@acs-stack/acs-emulator";
import { CommunicationIdentityClient } from "@azure/communication-identity";

import { SdkIdentityGateway } from "../src/control-plane/sdk-identity-gateway";
import { createDatabase } from "../src/db";
import { createUserStore } from "../src/db/users";
import { readServerEnv } from "../src/env";
import { createAcsServices } from "../src/services";
import { startPostgresCluster } from "../test/helpers/postgres";
import { headerSessionHandler } from "../test/helpers/transports";
import { runPresenceBench } from "./presence";

const args = process.argv.slice(2);
const USE_POSTGRES = args.includes("--postgres");
const ITERATIONS = Math.min(Math.max(Number(args.find((a) => /^\d+$/.test(a)) ?? 300), 20), 2000);
const FIRST_CALL_ITERATIONS = Math.min(100, ITERATIONS);
const WARMUP = 20;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const emulator = await startEmulator({ port: 0, inMemory: true, logLevel: "silent" });
// --postgres: a private PostgreSQL cluster (as the store tests use) instead of PGlite in memory.
const cluster = USE_POSTGRES ? await startPostgresCluster() : undefined;
const database = await createDatabase(cluster ? { url: cluster.url } : { memory: true });
const clientOptions = { tlsOptions: { ca: emulator.caCertPem } };
const rawClient = new CommunicationIdentityClient(emulator.connectionString, clientOptions);
const gateway = new SdkIdentityGateway(
  new CommunicationIdentityClient(emulator.connectionString, clientOptions),
  {
    model: "emulator",
    endpoint: emulator.endpoint,
    emulator: true,
  },
);
// The rate limiter still runs (one DB upsert per call); its limit is lifted so the bench is not refused.
const services = await createAcsServices({
  env: readServerEnv({}),
  database,
  gateway,
  tokenRateLimitPerMinute: 1_000_000,
});
// The same, without the per-user serialisation (bench only: it measures what the serialisation costs).
const unserialisedServices = await createAcsServices({
  env: readServerEnv({}),
  database,
  gateway,
  tokenRateLimitPerMinute: 1_000_000,
  serializeTokenOperations: false,
});
const users = createUserStore(database);

// The host app's session lookup, stood in for by a header naming the signed-in user.
const handle = headerSessionHandler(services, "x-session-user");
const handleUnserialised = headerSessionHandler(unserialisedServices, "x-session-user");

async function issueOverHttp(userId: string, handler = handle): Promise<void> {
  const response = await handler(
    new Request("http://localhost/api/trpc/acs.token.issue?batch=1", {
      method: "POST",
      headers: { "content-type": "application/json", "x-session-user": userId },
      body: JSON.stringify({ 0: { scopes: ["chat", "voip"] } }),
    }),
  );
  const [body] = (await response.json()) as Array<{
    result?: unknown;
    error?: { message: string };
  }>;
  if (!body?.result) throw new Error(`issue failed: ${body?.error?.message ?? response.status}`);
}

async function newAppUser(): Promise<string> {
  const user = await users.createUser({
    email: `bench.${randomUUID()}@example.test`,
    displayName: "Bench",
    passwordHash: null,
  });
  return user.id;
}

// --- Second call: identity already mapped (the steady state) vs raw getToken
const mappedUser = await newAppUser();
const { communicationUserId } = await rawClient.createUser();
await issueOverHttp(mappedUser);
for (let i = 0; i < WARMUP; i++) {
  await issueOverHttp(mappedUser);
  await rawClient.getToken({ communicationUserId }, ["chat", "voip"]);
}
const steadyHandler: number[] = [];
const steadyUnserialised: number[] = [];
const steadyRaw: number[] = [];
for (let i = 0; i < ITERATIONS; i++) {
  // Interleaved so all three see the same machine load.
  steadyHandler.push(await time(() => issueOverHttp(mappedUser)));
  steadyUnserialised.push(await time(() => issueOverHttp(mappedUser, handleUnserialised)));
  steadyRaw.push(await time(() => rawClient.getToken({ communicationUserId }, ["chat", "voip"])));
}

// --- First call: a new user (identity created + token) vs raw createUser + getToken
const firstUsers = await Promise.all(
  Array.from({ length: FIRST_CALL_ITERATIONS }, () => newAppUser()),
);
const firstHandler: number[] = [];
const firstRaw: number[] = [];
for (const userId of firstUsers) {
  firstHandler.push(await time(() => issueOverHttp(userId)));
  firstRaw.push(
    await time(async () => {
      const user = await rawClient.createUser();
      await rawClient.getToken(user, ["chat", "voip"]);
    }),
  );
}

function report(name: string, ours: number[], raw: number[], baseline: string) {
  const [p50, p99, r50, r99] = [
    percentile(ours, 50),
    percentile(ours, 99),
    percentile(raw, 50),
    percentile(raw, 99),
  ];
  console.log(`\n${name} (${ours.length} calls each)`);
  console.log(
    `  acs.token.issue via HTTP handler  p50 ${p50.toFixed(2)} ms   p99 ${p99.toFixed(2)} ms`,
  );
  console.log(`  ${baseline.padEnd(32)} p50 ${r50.toFixed(2)} ms   p99 ${r99.toFixed(2)} ms`);
  console.log(
    `  ratio                             p50 ${(p50 / r50).toFixed(2)}×    p99 ${(p99 / r99).toFixed(2)}×   (goal ≤ 1.3×)`,
  );
  // The emulator answers in about a millisecond; against a real ACS (tens of ms) the same absolute
  // overhead gives a much smaller ratio, so print it too.
  console.log(`  added by session + DB + tRPC      p50 ${(p50 - r50).toFixed(2)} ms`);
}

const dbName = cluster ? "PostgreSQL 15 (private cluster, loopback)" : "PGlite in memory";
console.log(`acs-server bench — emulator ${emulator.endpoint}, ${dbName}, Node ${process.version}`);
report("Second call (identity already mapped)", steadyHandler, steadyRaw, "raw SDK getToken");
report(
  "First call (identity created on the way)",
  firstHandler,
  firstRaw,
  "raw SDK createUser + getToken",
);

{
  const [p50, p99, u50, u99, r50] = [
    percentile(steadyHandler, 50),
    percentile(steadyHandler, 99),
    percentile(steadyUnserialised, 50),
    percentile(steadyUnserialised, 99),
    percentile(steadyRaw, 50),
  ];
  const lock = cluster ? "PostgreSQL advisory lock" : "in-process per-user queue";
  console.log(
    `\nPer-user serialisation of issue/refresh/revoke (${lock}; second call, ${steadyHandler.length} calls each)`,
  );
  console.log(
    `  with serialisation (after)         p50 ${p50.toFixed(2)} ms   p99 ${p99.toFixed(2)} ms`,
  );
  console.log(
    `  without serialisation (before)     p50 ${u50.toFixed(2)} ms   p99 ${u99.toFixed(2)} ms`,
  );
  console.log(
    `  ratio after/before                 p50 ${(p50 / u50).toFixed(2)}×    p99 ${(p99 / u99).toFixed(2)}×`,
  );
  console.log(
    `  added over raw getToken            p50 ${(u50 - r50).toFixed(2)} ms before → ${(p50 - r50).toFixed(2)} ms after`,
  );
}

await unserialisedServices.close();
await services.close();
await database.close();
await emulator.close();
await cluster?.stop();

// Presence change propagation across two instances (always on PostgreSQL: LISTEN/NOTIFY; see presence.ts).
await runPresenceBench(ITERATIONS);
