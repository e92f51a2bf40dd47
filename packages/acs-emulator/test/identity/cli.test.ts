// The CLI: `acs-emulator start --json` prints exactly one JSON line first, serves, and closes on SIGTERM.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { readFile } from "node:fs/promises";
import { afterEach, beforeEach, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/acs-emulator.mjs", import.meta.url));
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "acs-emulator-cli-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

it("start --json prints one JSON line, serves the identity API over HTTPS and exits 0 on SIGTERM", async () => {
  const child = spawn(
    process.execPath,
    [bin, "start", "--port", "0", "--data-dir", dataDir, "--json", "--log-level", "silent"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  try {
    const lines = createInterface({ input: child.stdout });
    const [firstLine] = (await once(lines, "line")) as [string];
    const info = JSON.parse(firstLine) as Record<string, string>;
    expect(Object.keys(info).sort()).toEqual([
      "caCertPath",
      "connectionString",
      "dataDir",
      "endpoint",
    ]);
    expect(info.dataDir).toBe(dataDir);
    expect(info.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const ca = await readFile(info.caCertPath ?? "", "utf8");
    const client = new CommunicationIdentityClient(info.connectionString ?? "", {
      tlsOptions: { ca },
    });
    await expect(client.createUser()).resolves.toHaveProperty("communicationUserId");
  } finally {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  }
});

async function startCli(dir: string) {
  const child = spawn(
    process.execPath,
    [bin, "start", "--port", "0", "--data-dir", dir, "--json", "--log-level", "silent"],
    {
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  const [firstLine] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
  const info = JSON.parse(firstLine) as { connectionString: string; caCertPath: string };
  const ca = await readFile(info.caCertPath, "utf8");
  return {
    child,
    client: new CommunicationIdentityClient(info.connectionString, { tlsOptions: { ca } }),
  };
}

it("loses no acknowledged identity when the process is killed (SIGKILL, no graceful close)", async () => {
  const first = await startCli(dataDir);
  const created = await Promise.all(Array.from({ length: 20 }, () => first.client.createUser()));
  const exited = once(first.child, "exit");
  first.child.kill("SIGKILL");
  await exited;

  const second = await startCli(dataDir);
  try {
    for (const user of created) {
      await expect(second.client.getToken(user, ["chat"])).resolves.toHaveProperty("token");
    }
  } finally {
    const done = once(second.child, "exit");
    second.child.kill("SIGTERM");
    await done;
  }
});

it("rejects an unknown command with a usage message and exit code 2", async () => {
  const child = spawn(process.execPath, [bin, "serve"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  expect(code).toBe(2);
  expect(stderr).toContain("Usage: acs-emulator start");
});
