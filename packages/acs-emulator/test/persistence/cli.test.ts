// `acs-emulator start --compact-threshold BYTES`: the CLI's journal compacts past the given size,
// and a bad value is a usage error.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { afterEach, beforeEach, expect, it } from "vitest";
import { SNAPSHOT_FILE } from "../../src/server";

const bin = fileURLToPath(new URL("../../bin/acs-emulator.mjs", import.meta.url));
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "acs-emulator-cli-compact-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const start = (...args: string[]) =>
  spawn(
    process.execPath,
    [
      bin,
      "start",
      "--port",
      "0",
      "--data-dir",
      dataDir,
      "--json",
      "--log-level",
      "silent",
      ...args,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );

it("compacts the journal once its tail passes --compact-threshold", async () => {
  const child = start("--compact-threshold", "2048");
  try {
    const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
    const info = JSON.parse(line) as { connectionString: string; caCertPath: string };
    const client = new CommunicationIdentityClient(info.connectionString, {
      tlsOptions: { ca: await readFile(info.caCertPath, "utf8") },
    });
    // Each identity is a record of about 150 bytes: the threshold is passed within a few dozen.
    const snapshot = path.join(dataDir, SNAPSHOT_FILE);
    let created = 0;
    while (!existsSync(snapshot)) {
      if (created === 200) throw new Error("no snapshot after 200 identities");
      await client.createUser();
      created += 1;
    }
    expect(created).toBeGreaterThan(5);
  } finally {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }
});

it("refuses a --compact-threshold that is not a positive number of bytes", async () => {
  const child = start("--compact-threshold", "16MiB");
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  expect(code).toBe(2);
  expect(stderr).toContain("--compact-threshold must be a positive number of bytes, got '16MiB'.");
});
