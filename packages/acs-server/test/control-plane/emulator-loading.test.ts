// A production server never starts an emulator, nor even loads the emulator package (a devDependency,
// imported on demand by the development model only). With ACS_STACK_ALLOW_DEV_DEFAULTS it uses one
// that is already running; when none runs it fails with a clear error and leaves the port closed.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

import type { RunningEmulator } from "@acs-stack/acs-emulator";
import { startEmulator } from "@acs-stack/acs-emulator";
import { freePort } from "@acs-stack/config/free-port";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createIdentityGateway } from "../../src/control-plane";
import { EmulatorNotRunningError, probeEmulator } from "../../src/control-plane/emulator";
import { readServerEnv } from "../../src/env";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const PACKAGE_DIR = path.join(FIXTURES, "..", "..", "..");
const EMULATOR_PACKAGE = `${path.sep}packages${path.sep}acs-emulator${path.sep}`;

/** The module URLs among `urls` that are files of the emulator package. */
const emulatorModules = (urls: string[]) =>
  urls.filter((url) => url.startsWith("file:") && fileURLToPath(url).includes(EMULATOR_PACKAGE));

let acs: RunningEmulator;

beforeAll(async () => {
  acs = await startEmulator({ host: "127.0.0.1", port: 0, inMemory: true, logLevel: "silent" });
});

afterAll(async () => {
  await acs?.close();
});

const productionWithDevDefaults = (port: number) =>
  readServerEnv({
    NODE_ENV: "production",
    ACS_STACK_ALLOW_DEV_DEFAULTS: "true",
    ACS_EMULATOR_HOST: "127.0.0.1",
    ACS_EMULATOR_PORT: String(port),
  });

describe("the emulator model in production (ACS_STACK_ALLOW_DEV_DEFAULTS=true)", () => {
  it("uses the emulator already running at ACS_EMULATOR_HOST:PORT", async () => {
    const lines: string[] = [];
    const gateway = await createIdentityGateway(productionWithDevDefaults(acs.port), {
      log: (line) => lines.push(line),
    });
    try {
      expect(gateway).toMatchObject({ model: "emulator", endpoint: acs.endpoint });
      expect(lines).toEqual([expect.stringContaining("reused running emulator")]);
      await expect(gateway.createUser()).resolves.toHaveProperty("acsUserId");
    } finally {
      await gateway.close();
    }
  });

  it("never starts one: no emulator running → a clear error, and the port stays closed", async () => {
    const port = await freePort();
    const attempt = createIdentityGateway(productionWithDevDefaults(port), {
      log: () => undefined,
    });
    await expect(attempt).rejects.toThrow(EmulatorNotRunningError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`No ACS emulator answers at http://127\\.0\\.0\\.1:${port}/emulator/info`),
    );
    expect(await probeEmulator("127.0.0.1", port, 1000)).toBeUndefined();
  });
});

// A fresh Node process compiles acs-server's sources with tsx: seconds on a busy machine.
describe("which modules a server process loads", { timeout: 120_000 }, () => {
  /** Runs fixtures/create-gateway.ts in a fresh Node process; returns every module URL it resolved. */
  async function modulesLoadedBy(env: Record<string, string>): Promise<string[]> {
    const dir = await mkdtemp(path.join(tmpdir(), "acs-modules-"));
    const record = path.join(dir, "modules.txt");
    try {
      const recorder = pathToFileURL(path.join(FIXTURES, "record-modules.mjs"));
      recorder.searchParams.set("file", record);
      await promisify(execFile)(
        process.execPath,
        ["--import", "tsx", "--import", recorder.href, path.join(FIXTURES, "create-gateway.ts")],
        { cwd: PACKAGE_DIR, env, timeout: 110_000 },
      );
      return (await readFile(record, "utf8")).split("\n").filter(Boolean);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it("production on a running emulator never loads the emulator package", async () => {
    const modules = await modulesLoadedBy({
      NODE_ENV: "production",
      ACS_STACK_ALLOW_DEV_DEFAULTS: "true",
      ACS_EMULATOR_PORT: String(acs.port),
    });
    // The process did load the control plane (so the record is real) …
    expect(modules.some((url) => url.endsWith("/src/control-plane/emulator.ts"))).toBe(true);
    // … and nothing of the emulator.
    expect(emulatorModules(modules)).toEqual([]);
  });

  it("development without a running emulator loads it and starts one in-process", async () => {
    const modules = await modulesLoadedBy({
      NODE_ENV: "development",
      ACS_EMULATOR_PORT: "0",
      ACS_EMULATOR_IN_MEMORY: "true",
    });
    expect(emulatorModules(modules)).not.toEqual([]);
  });
});
