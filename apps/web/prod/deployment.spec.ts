// The standalone output as the Dockerfile runs it (`node server.js`, NODE_ENV=production): it serves
// the app on PostgreSQL with a connection string, and it refuses to start on development defaults
// unless told to (dev defaults are for development only).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIGRATIONS_FOLDER } from "@acs-stack/acs-server";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { prodEnv } from "./env";
import { runningStack, spawnServer, TEST_AUTH_SECRET, waitFor, type Child } from "./stack";

const EXIT_DEADLINE_MS = 30_000;

test("server.js serves /, its static assets and a PostgreSQL-backed health check", async ({
  request,
}) => {
  const stack = runningStack();
  for (const app of stack.apps) {
    const page = await request.get(`${app.url}/`);
    expect(page.status()).toBe(200);
    const html = await page.text();
    expect(html).toContain("acs-stack");
    // .next/static is copied beside server.js, as the Dockerfile does.
    const css = /\/_next\/static\/[^"]+\.css/.exec(html)?.[0];
    expect(css, "the page links its stylesheet").toBeTruthy();
    expect((await request.get(`${app.url}${css}`)).status()).toBe(200);
    expect(await (await request.get(`${app.url}/api/health`)).json()).toMatchObject({ ok: true });
  }
  // The health check answers no details; the servers' database is the suite's PostgreSQL, migrated.
  const journal = JSON.parse(
    readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
  ) as { entries: unknown[] };
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      "select count(*) from drizzle.__drizzle_migrations",
    );
    expect(Number(rows[0]?.count)).toBe(journal.entries.length);
  } finally {
    await client.end();
  }
});

test("with NODE_ENV=production and only AUTH_SECRET, server.js exits non-zero naming what is missing", async () => {
  const server = spawnServer(prodEnv.checkPort, {
    NODE_ENV: "production",
    AUTH_SECRET: TEST_AUTH_SECRET,
  });
  try {
    const code = await Promise.race([
      server.exited,
      new Promise<"running">((resolve) => setTimeout(() => resolve("running"), EXIT_DEADLINE_MS)),
    ]);
    expect(code, `server.js should refuse to start; its output:\n${server.output()}`).not.toBe(
      "running",
    );
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(server.output()).toContain("DATABASE_URL");
    expect(server.output()).toMatch(/ACS_CONNECTION_STRING|ACS_ENDPOINT/);
  } finally {
    await server.stop();
  }
});

test("with ACS_STACK_ALLOW_DEV_DEFAULTS=true it serves / on PGlite and the emulator already running", async ({
  request,
}) => {
  const stack = runningStack();
  const dataDir = mkdtempSync(join(tmpdir(), "acs-prod-dev-defaults-"));
  let server: Child | undefined;
  try {
    server = spawnServer(prodEnv.checkPort, {
      NODE_ENV: "production",
      AUTH_SECRET: TEST_AUTH_SECRET,
      ACS_STACK_ALLOW_DEV_DEFAULTS: "true",
      // The suite's emulator process: a production server never starts one itself.
      ACS_EMULATOR_HOST: "127.0.0.1",
      ACS_EMULATOR_PORT: String(stack.emulator.port),
      PGLITE_DATA_DIR: join(dataDir, "pglite"),
      NEXT_TELEMETRY_DISABLED: "1",
    });
    const started = server;
    const url = `http://127.0.0.1:${prodEnv.checkPort}`;
    await waitFor("server.js on dev defaults", async () => (await fetch(`${url}/`)).ok, {
      failed: () =>
        started.process.exitCode !== null
          ? `exited with ${started.process.exitCode}:\n${started.output()}`
          : null,
    });
    const page = await request.get(`${url}/`);
    expect(page.status()).toBe(200);
    expect(await page.text()).toContain("acs-stack");
    expect(await (await request.get(`${url}/api/health`)).json()).toMatchObject({ ok: true });
    // Its database is PGlite, in the data dir it was given.
    expect(existsSync(join(dataDir, "pglite", "PG_VERSION"))).toBe(true);
    // The start-up line says loudly that it runs on development defaults.
    await expect.poll(() => started.output()).toContain("ACS_STACK_ALLOW_DEV_DEFAULTS");
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
