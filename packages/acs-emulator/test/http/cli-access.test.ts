// The CLI's exposure options, from outside the process: `--allowed-host` and `--cors-origin`
// (repeatable) reach the server, invalid values are usage errors, and a non-loopback `--host` warns.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/acs-emulator.mjs", import.meta.url));
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }
});

async function startCli(args: string[]) {
  const child = spawn(
    process.execPath,
    [bin, "start", "--in-memory", "--port", "0", "--json", ...args],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => (stderr += chunk));
  const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
  const { endpoint } = JSON.parse(line) as { endpoint: string };
  return { port: Number(new URL(endpoint).port), stderr: () => stderr };
}

function get(port: number, headers: Record<string, string>) {
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path: "/emulator/info", headers, agent: false },
      (res) => {
        res.resume();
        resolve(res);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

it("--allowed-host and --cors-origin (repeatable) configure the Host and CORS checks", async () => {
  const { port } = await startCli([
    "--log-level",
    "silent",
    "--allowed-host",
    "acs.devbox.test",
    "--allowed-host",
    "chat.devbox.test",
    "--cors-origin",
    "https://app.devbox.test",
    "--cors-origin",
    "http://tools.devbox.test:*",
  ]);
  for (const host of ["acs.devbox.test", `chat.devbox.test:${port}`, `127.0.0.1:${port}`]) {
    expect((await get(port, { host })).statusCode, host).toBe(200);
  }
  expect((await get(port, { host: "evil.example" })).statusCode).toBe(421);
  const allowed = await get(port, { host: "acs.devbox.test", origin: "https://app.devbox.test" });
  expect(allowed.headers["access-control-allow-origin"]).toBe("https://app.devbox.test");
  const wildcard = await get(port, {
    host: "acs.devbox.test",
    origin: "http://tools.devbox.test:81",
  });
  expect(wildcard.headers["access-control-allow-origin"]).toBe("http://tools.devbox.test:81");
  // The given origins replace the defaults.
  const localhost = await get(port, { host: "localhost", origin: "http://localhost:3000" });
  expect(localhost.statusCode).toBe(403);
  expect(localhost.headers["access-control-allow-origin"]).toBeUndefined();
});

it("refuses an origin that is not scheme://host[:port] as a usage error", async () => {
  const child = spawn(
    process.execPath,
    [bin, "start", "--in-memory", "--cors-origin", "localhost:3000"],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, "exit")) as [number];
  expect(code).toBe(2);
  expect(stderr).toContain("--cors-origin");
  expect(stderr).toContain("localhost:3000");
});

it("warns on stderr when bound beyond loopback, and not on the default", async () => {
  const exposed = await startCli(["--log-level", "error", "--host", "0.0.0.0"]);
  await expect.poll(exposed.stderr, { timeout: 10_000 }).toMatch(/warn .*not loopback/);
  expect(exposed.stderr()).toMatch(/other machines on the network can reach the emulator/);
  // Reached through loopback, it still answers.
  expect((await get(exposed.port, { host: `127.0.0.1:${exposed.port}` })).statusCode).toBe(200);

  const local = await startCli(["--log-level", "info"]);
  await expect.poll(local.stderr, { timeout: 10_000 }).toMatch(/listening/);
  expect(local.stderr()).not.toMatch(/warn/);
}, 60_000);
