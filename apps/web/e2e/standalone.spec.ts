// The Docker image runs `node apps/web/server.js` from the standalone output: check that output
// starts on its own (no Docker daemon here) and serves the start page.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port";
import { expect, test } from "@playwright/test";
import { e2eEnv } from "./env";

const WEB_DIR = join(import.meta.dirname, "..");
const STANDALONE = join(WEB_DIR, ".next", "standalone");

test("the standalone build starts with node server.js, answers 200 on / and opens its database", async ({
  request,
}) => {
  test.setTimeout(120_000);
  expect(
    existsSync(join(STANDALONE, "apps", "web", "server.js")),
    "next build wrote the standalone server",
  ).toBe(true);
  // What the Dockerfile adds next to the standalone output.
  cpSync(join(WEB_DIR, ".next", "static"), join(STANDALONE, "apps", "web", ".next", "static"), {
    recursive: true,
  });

  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "acs-web-standalone-"));
  let server: ChildProcess | undefined;
  let output = "";
  try {
    server = spawn(process.execPath, [join(STANDALONE, "apps", "web", "server.js")], {
      env: {
        PATH: e2eEnv.path,
        NODE_ENV: "production",
        HOSTNAME: "127.0.0.1",
        PORT: String(port),
        AUTH_SECRET: "standalone-test-secret-0123456789abcdef",
        PGLITE_DATA_DIR: join(dataDir, "pglite"),
        // PGlite and the run's emulator: the one opt-in for a production server on dev defaults.
        ACS_STACK_ALLOW_DEV_DEFAULTS: "true",
        ACS_EMULATOR_PORT: String(e2eEnv.emulatorPort),
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Wait for the server's own "Ready" line.
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready in|started server/i.test(output)) markReady();
    };
    server.stdout?.on("data", collect);
    server.stderr?.on("data", collect);
    const exited = new Promise<never>((_, reject) =>
      server!.once("exit", (code) =>
        reject(new Error(`server.js exited with ${code}:\n${output}`)),
      ),
    );
    await Promise.race([ready, exited]);

    const response = await request.get(`http://127.0.0.1:${port}/`);
    expect(response.status(), output).toBe(200);
    expect(await response.text()).toContain("acs-stack");
    // The migrations travel with the standalone output: the database opens and migrates.
    const health = await request.get(`http://127.0.0.1:${port}/api/health`);
    expect(await health.json(), output).toEqual({ ok: true, database: "pglite" });
    const css = /\/_next\/static\/[^"]+\.css/.exec(
      await (await request.get(`http://127.0.0.1:${port}/`)).text(),
    )?.[0];
    if (css) expect((await request.get(`http://127.0.0.1:${port}${css}`)).status()).toBe(200);
  } finally {
    server?.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
});
