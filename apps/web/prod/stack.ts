// The deployment shape, started for real: the standalone output (`node server.js`, as the Dockerfile
// runs it) with NODE_ENV=production, PostgreSQL (a private test cluster) and a connection string to an
// emulator started separately as its own process, standing in for an ACS resource and trusted through
// NODE_EXTRA_CA_CERTS. Used by the production smoke suite (global-setup.ts) and the load bench.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPostgresCluster, type PostgresCluster } from "@acs-stack/acs-server/testing/postgres";
import { prodEnv } from "./env";

const WEB_DIR = join(import.meta.dirname, "..");
const REPO_DIR = join(WEB_DIR, "..", "..");
const STANDALONE_DIR = join(WEB_DIR, ".next", "standalone");
/** Where server.js lives inside the standalone output (the Dockerfile's `apps/web/server.js`). */
export const STANDALONE_APP_DIR = join(STANDALONE_DIR, "apps", "web");
const EMULATOR_CLI = join(REPO_DIR, "packages", "acs-emulator", "bin", "acs-emulator.mjs");

/** A test-only session secret: never used outside these runs. */
export const TEST_AUTH_SECRET = "prod-smoke-only-secret-not-for-production-0123456789";

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** The tail of a child's output kept for error messages. */
const OUTPUT_TAIL_CHARS = 64 * 1024;

/**
 * Checks that `next build` wrote the standalone server and copies beside it what the Dockerfile copies
 * (Next leaves `.next/static` and `public` out of the standalone output). Returns server.js's path.
 */
export function prepareStandalone(): string {
  const serverJs = join(STANDALONE_APP_DIR, "server.js");
  if (!existsSync(serverJs)) {
    throw new Error(`${serverJs} is missing: run \`pnpm --filter @acs-stack/web build\` first.`);
  }
  cpSync(join(WEB_DIR, ".next", "static"), join(STANDALONE_APP_DIR, ".next", "static"), {
    recursive: true,
  });
  const publicDir = join(WEB_DIR, "public");
  if (existsSync(publicDir)) {
    cpSync(publicDir, join(STANDALONE_APP_DIR, "public"), { recursive: true });
  }
  return serverJs;
}

/** A child process whose output is kept (its tail) for error messages. */
export interface Child {
  readonly process: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL if it is still running after a deadline. */
  stop(): Promise<void>;
}

function track(child: ChildProcess): Child {
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return {
    process: child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const deadline = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(deadline);
    },
  };
}

/** Starts `node server.js` from the standalone output with exactly `env` (plus PATH, host and port). */
export function spawnServer(
  port: number,
  env: Record<string, string> & { NODE_ENV: "production" },
): Child {
  return track(
    spawn(process.execPath, [join(STANDALONE_APP_DIR, "server.js")], {
      cwd: STANDALONE_APP_DIR,
      env: { PATH: prodEnv.path, HOSTNAME: "127.0.0.1", PORT: String(port), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

/** Polls `check` until it returns true, or throws once `timeoutMs` passed (or `failed` says why). */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  { timeoutMs = STARTUP_TIMEOUT_MS, failed }: { timeoutMs?: number; failed?: () => string | null },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const problem = failed?.();
    if (problem) throw new Error(`${what}: ${problem}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

/** The `--json` line of `acs-emulator start` (packages/acs-emulator/README.md). */
interface EmulatorInfo {
  endpoint: string;
  connectionString: string;
  caCertPath: string;
}

export interface RunningEmulator {
  endpoint: string;
  connectionString: string;
  /** The emulator's CA certificate (PEM file): NODE_EXTRA_CA_CERTS for the servers. */
  caCertPath: string;
  port: number;
  child: Child;
}

/** The emulator CLI as its own process; its `--json` line carries the connection string and CA. */
export async function startEmulatorProcess(
  port: number,
  dataDir: string,
): Promise<RunningEmulator> {
  const child = track(
    spawn(
      process.execPath,
      [EMULATOR_CLI, "start", "--port", String(port), "--data-dir", dataDir, "--json"],
      {
        env: { PATH: prodEnv.path, NODE_ENV: "production", ACS_EMULATOR_LOG_LEVEL: "error" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    ),
  );
  const info = await new Promise<EmulatorInfo>((resolve, reject) => {
    let stdout = "";
    child.process.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf("\n");
      if (newline >= 0) resolve(JSON.parse(stdout.slice(0, newline)) as EmulatorInfo);
    });
    void child.exited.then((code) =>
      reject(new Error(`acs-emulator exited with ${code}:\n${child.output()}`)),
    );
  });
  return { ...info, port, child };
}

export interface ProductionSettings {
  port: number;
  databaseUrl: string;
  emulator: Pick<RunningEmulator, "connectionString" | "caCertPath">;
  /** Overrides and additions (e.g. a higher token rate limit for the bench). */
  extra?: Record<string, string>;
}

/** The environment of a production deployment: a real ACS configuration and DATABASE_URL. */
export function productionEnv({
  port,
  databaseUrl,
  emulator,
  extra,
}: ProductionSettings): Record<string, string> & { NODE_ENV: "production" } {
  return {
    AUTH_SECRET: TEST_AUTH_SECRET,
    // Browsers use localhost (Next normalises 127.0.0.1 to it; see ../../shared/docs/toolchain-facts.md).
    AUTH_URL: `http://localhost:${port}`,
    // Email-and-password sign-up is off in production unless switched on; then every account confirms
    // its email through a link mailed over SMTP (here to the suite's catcher).
    AUTH_CREDENTIALS_SIGNUP: "true",
    SMTP_URL: `smtp://127.0.0.1:${prodEnv.smtpPort}`,
    EMAIL_FROM: "acs-stack smoke <no-reply@example.test>",
    DATABASE_URL: databaseUrl,
    ACS_CONNECTION_STRING: emulator.connectionString,
    NODE_EXTRA_CA_CERTS: emulator.caCertPath,
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
    NODE_ENV: "production",
  };
}

export interface AppServer {
  port: number;
  /** What browsers name in `Origin` (AUTH_URL's origin). */
  origin: string;
  /** Where this process connects (the server listens on 127.0.0.1 only). */
  url: string;
  child: Child;
}

/** `node server.js` in production; resolves once /api/health answers 200 (database open, migrated). */
export async function startAppServer(settings: ProductionSettings): Promise<AppServer> {
  const child = spawnServer(settings.port, productionEnv(settings));
  const url = `http://127.0.0.1:${settings.port}`;
  try {
    await waitFor(
      `server.js on port ${settings.port}`,
      async () => (await fetch(`${url}/api/health`)).ok,
      {
        failed: () =>
          child.process.exitCode !== null
            ? `exited with ${child.process.exitCode}:\n${child.output()}`
            : null,
      },
    );
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { port: settings.port, origin: `http://localhost:${settings.port}`, url, child };
}

/** What the workers need to reach the running stack (serialisable). */
export interface StackInfo {
  databaseUrl: string;
  emulator: Pick<RunningEmulator, "endpoint" | "connectionString" | "caCertPath" | "port">;
  apps: Array<Pick<AppServer, "port" | "origin" | "url">>;
  /** The token limit the servers run with (ACS_TOKEN_RATE_LIMIT_PER_MINUTE). */
  tokenRateLimitPerMinute: number;
}

export interface StackOptions {
  appPorts: number[];
  emulatorPort: number;
  tokenRateLimitPerMinute: number;
  extraEnv?: Record<string, string>;
}

export interface RunningStack {
  info: StackInfo;
  servers: AppServer[];
  stop(): Promise<void>;
}

/** PostgreSQL, the emulator and one `node server.js` per port, all on one database. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  prepareStandalone();
  const emulatorDir = mkdtempSync(join(tmpdir(), "acs-prod-emulator-"));
  const stops: Array<() => Promise<void>> = [
    () => Promise.resolve(rmSync(emulatorDir, { recursive: true, force: true })),
  ];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    const postgres: PostgresCluster = await startPostgresCluster();
    stops.push(() => postgres.stop());
    const emulator = await startEmulatorProcess(options.emulatorPort, emulatorDir);
    stops.push(() => emulator.child.stop());
    const extra = {
      ACS_TOKEN_RATE_LIMIT_PER_MINUTE: String(options.tokenRateLimitPerMinute),
      ...options.extraEnv,
    };
    // One after the other: each applies the migrations under an advisory lock anyway.
    const servers: AppServer[] = [];
    for (const port of options.appPorts) {
      const server = await startAppServer({
        port,
        databaseUrl: postgres.url,
        emulator,
        extra,
      });
      servers.push(server);
      stops.push(() => server.child.stop());
    }
    const info: StackInfo = {
      databaseUrl: postgres.url,
      emulator: {
        endpoint: emulator.endpoint,
        connectionString: emulator.connectionString,
        caCertPath: emulator.caCertPath,
        port: emulator.port,
      },
      apps: servers.map(({ port, origin, url }) => ({ port, origin, url })),
      tokenRateLimitPerMinute: options.tokenRateLimitPerMinute,
    };
    return { info, servers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The stack the global set-up started (in a test worker). */
export function runningStack(): StackInfo {
  if (!prodEnv.stack) throw new Error("No running stack: run through playwright.prod.config.ts.");
  return JSON.parse(prodEnv.stack) as StackInfo;
}
