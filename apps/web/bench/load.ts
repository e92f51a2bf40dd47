// Token load on the deployment's shape: two `node server.js` instances (NODE_ENV=production)
// on one PostgreSQL, ACS through a connection string to the emulator process. N signed-in users each
// issue a token (their first, which creates the ACS identity) and then refresh it, through the app, from
// a bounded load generator on loopback (undici, a fixed count of requests, C in flight at most). The
// same counts go straight to the emulator with the raw @azure/communication-identity SDK in the same
// run: the ratio is the app's cost on top of ACS. PostgreSQL connections are sampled throughout.
// Requires `pnpm build` first (the standalone output).
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { CommunicationIdentityClient, type TokenScope } from "@azure/communication-identity";
import pg from "pg";
import { createAccounts } from "../prod/accounts";
import { appPool, mutate, signInOverHttp, type AppTarget } from "../prod/app-client";
import { startStack } from "../prod/stack";
import { freePort } from "@acs-stack/config/free-port";
import { benchEnv } from "./env";

/** The server's default (packages/acs-server/src/env.ts); each user makes two calls, well within it. */
const TOKEN_RATE_LIMIT_PER_MINUTE = 30;
/** Per instance: pg.Pool's default max (packages/acs-server/src/db/index.ts opens it without `max`),
 * the advisory-lock pool (LOCK_POOL_SIZE in src/db/advisory-lock.ts) and the one LISTEN connection. */
const MAIN_POOL_MAX = 10;
const LOCK_POOL_MAX = 10;
const LISTEN_CONNECTIONS = 1;
const INSTANCES = 2;
const CONNECTION_BOUND = INSTANCES * (MAIN_POOL_MAX + LOCK_POOL_MAX + LISTEN_CONNECTIONS);
/** Untimed calls before each measured path, so first-request costs (route load, TLS) are not counted. */
const WARM_UP_CALLS = 4;
const ACS_SCOPES: TokenScope[] = ["chat", "voip"];
/** The bench accounts' password hashes: scrypt at 1 MiB instead of 32 MiB, so signing in 200 people
 * (not measured) takes seconds, not minutes, on two cores. The server checks them the same way. */
const BENCH_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

interface Phase {
  label: string;
  latenciesMs: number[];
  errors: string[];
  wallMs: number;
}

/** Runs `count` calls of `call(i)` with at most `concurrency` in flight; times each one. */
async function measure(
  label: string,
  count: number,
  concurrency: number,
  call: (i: number) => Promise<unknown>,
): Promise<Phase> {
  const latenciesMs: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        try {
          await call(i);
          latenciesMs.push(performance.now() - t0);
        } catch (error) {
          errors.push(error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  return { label, latenciesMs, errors, wallMs: performance.now() - started };
}

/** Runs `call(i)` for i < count, at most `concurrency` at once, untimed; throws on the first failure. */
async function bounded<T>(count: number, concurrency: number, call: (i: number) => Promise<T>) {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await call(i);
    }),
  );
  return results;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function stats(phase: Phase) {
  const sorted = [...phase.latenciesMs].sort((a, b) => a - b);
  return {
    calls: phase.latenciesMs.length + phase.errors.length,
    errors: phase.errors.length,
    perSecond: (phase.latenciesMs.length / phase.wallMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** Samples the connections of every other session on the database until stopped; keeps the peak. */
async function sampleConnections(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let peak = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where backend_type = 'client backend' and pid <> pg_backend_pid()`,
      );
      peak = Math.max(peak, rows[0]!.n);
      samples += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await client.end();
      return { peak, samples };
    },
  };
}

async function main() {
  const users = benchEnv.loadUsers;
  const concurrency = benchEnv.loadConcurrency;
  const stack = await startStack({
    appPorts: [await freePort(), await freePort()],
    emulatorPort: await freePort(),
    tokenRateLimitPerMinute: TOKEN_RATE_LIMIT_PER_MINUTE,
  });
  const targets: AppTarget[] = stack.info.apps;
  const pools = targets.map((target) => appPool(target, concurrency));
  const sdk = new CommunicationIdentityClient(stack.info.emulator.connectionString, {
    tlsOptions: { ca: readFileSync(stack.info.emulator.caCertPath, "utf8") },
    // An error counts as an error, not as a slower success after retries.
    retryOptions: { maxRetries: 0 },
  });
  try {
    // User i talks to instance i % 2 and refreshes on the other one.
    const at = (i: number, shift = 0) => (i + shift) % INSTANCES;
    const accounts = await createAccounts(
      stack.info.databaseUrl,
      users + WARM_UP_CALLS,
      "load",
      BENCH_SCRYPT,
    );
    const signInStarted = performance.now();
    const cookies = await bounded(accounts.length, concurrency, (i) =>
      signInOverHttp(targets[at(i)]!, pools[at(i)]!, accounts[i]!.email, accounts[i]!.password),
    );
    const signInSeconds = (performance.now() - signInStarted) / 1000;
    const issue = (i: number) =>
      mutate(targets[at(i)]!, pools[at(i)]!, cookies[i]!, "acs.token.issue", {});
    const refresh = (i: number) =>
      mutate(targets[at(i, 1)]!, pools[at(i, 1)]!, cookies[i]!, "acs.token.refresh");

    // Warm-up: the last WARM_UP_CALLS accounts, and as many raw SDK calls.
    for (let i = users; i < users + WARM_UP_CALLS; i += 1) {
      await issue(i);
      await refresh(i);
    }
    for (let i = 0; i < WARM_UP_CALLS; i += 1) {
      const { user } = await sdk.createUserAndToken(ACS_SCOPES);
      await sdk.getToken(user, ACS_SCOPES);
    }

    const connections = await sampleConnections(stack.info.databaseUrl);
    const appIssue = await measure(
      "app `acs.token.issue` (first: creates the identity)",
      users,
      concurrency,
      issue,
    );
    const appRefresh = await measure("app `acs.token.refresh`", users, concurrency, refresh);
    const pgUse = await connections.stop();

    const sdkUsers = new Map<number, { communicationUserId: string }>();
    const sdkIssue = await measure(
      "raw SDK `createUser` + `getToken`",
      users,
      concurrency,
      async (i) => {
        const user = await sdk.createUser();
        sdkUsers.set(i, user);
        await sdk.getToken(user, ACS_SCOPES);
      },
    );
    const sdkRefresh = await measure("raw SDK `getToken`", users, concurrency, (i) => {
      const user = sdkUsers.get(i);
      return user ? sdk.getToken(user, ACS_SCOPES) : Promise.reject(new Error("no identity"));
    });

    const ms = (n: number) => `${n.toFixed(1)} ms`;
    const rows: string[] = [];
    const row = (phase: Phase) => {
      const s = stats(phase);
      rows.push(
        `| ${phase.label} | ${s.calls} | ${s.errors} | ${s.perSecond.toFixed(1)} | ${ms(s.p50)} | ${ms(s.p99)} |`,
      );
      return s;
    };
    const ratio = (label: string, app: ReturnType<typeof stats>, raw: ReturnType<typeof stats>) =>
      rows.push(
        `| ${label} | | | ${(app.perSecond / raw.perSecond).toFixed(2)}× | ${(app.p50 / raw.p50).toFixed(2)}× | ${(app.p99 / raw.p99).toFixed(2)}× |`,
      );
    const [ai, si] = [row(appIssue), row(sdkIssue)];
    ratio("**issue: app ÷ raw SDK**", ai, si);
    const [ar, sr] = [row(appRefresh), row(sdkRefresh)];
    ratio("**refresh: app ÷ raw SDK**", ar, sr);

    console.log(
      `\nToken load: ${users} signed-in users × (issue, refresh), ${concurrency} requests in flight at most (undici, loopback)\n`,
    );
    console.log("| path | calls | errors | throughput (/s) | p50 | p99 |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (const line of rows) console.log(line);
    const errors = [appIssue, appRefresh, sdkIssue, sdkRefresh].flatMap((p) => p.errors);
    console.log(
      `\nErrors: ${errors.length} (goal 0)${errors.length ? `, first: ${errors[0]}` : ""}`,
    );
    if (errors.length > 0) process.exitCode = 1;
    console.log(
      `PostgreSQL connections during the app phases (pg_stat_activity, ${pgUse.samples} samples): ` +
        `peak ${pgUse.peak}; bound ${CONNECTION_BOUND} = ${INSTANCES} instances × (pool ${MAIN_POOL_MAX} + ` +
        `advisory locks ${LOCK_POOL_MAX} + LISTEN ${LISTEN_CONNECTIONS}) → ${pgUse.peak <= CONNECTION_BOUND ? "within" : "OVER"}`,
    );
    console.log(
      `Set-up: ${INSTANCES} × node server.js (NODE_ENV=production, standalone output) on one PostgreSQL; ` +
        `ACS_CONNECTION_STRING to the emulator process (NODE_EXTRA_CA_CERTS); ` +
        `ACS_TOKEN_RATE_LIMIT_PER_MINUTE=${TOKEN_RATE_LIMIT_PER_MINUTE} (each user makes 2 calls); ` +
        `${accounts.length} accounts written through acs-server's user store and signed in over HTTP ` +
        `(next-auth credentials, scrypt N=2^10 hashes, ${signInSeconds.toFixed(1)} s); user i issues on instance i mod 2 and ` +
        `refreshes on the other; ${WARM_UP_CALLS} untimed warm-up calls per path.`,
    );
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
    await stack.stop();
  }
}

await main();
