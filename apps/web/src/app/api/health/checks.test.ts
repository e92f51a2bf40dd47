// The probes against a real PGlite and real sockets on loopback standing in for the ACS endpoint: one
// that answers like the Identity API without credentials (401), one that never answers, one closed.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createDatabase, type Database } from "@acs-stack/acs-server";
import { freePort } from "@acs-stack/config/free-port";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHealth, parseProbe, type HealthDependencies } from "./checks";

let database: Database;
const servers: http.Server[] = [];

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

let answering: string;
let silent: string;
let closed: string;
const identityRequests: string[] = [];

beforeAll(async () => {
  database = await createDatabase({ memory: true });
  answering = await listen((request, response) => {
    identityRequests.push(
      `${request.method} ${request.url} auth=${request.headers.authorization ?? "none"}`,
    );
    response.writeHead(401).end();
  });
  silent = await listen(() => undefined); // accepts, never answers
  closed = `http://127.0.0.1:${await freePort()}/`;
}, 180_000);

afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await database?.close();
});

const SECRET = "postgresql://app:hunter2-password@db.internal:5432/app";
const deps = (overrides: Partial<HealthDependencies> = {}): HealthDependencies => ({
  database: () => Promise.resolve(database),
  controlPlane: () => Promise.resolve({ endpoint: answering }),
  timeoutMs: 300,
  ...overrides,
});
const unreachable = () => Promise.reject(new Error("must not be called"));

describe("/api/health probes", () => {
  it("parses /api/health/<probe> (none = startup) and refuses unknown values with 400", async () => {
    expect(parseProbe(undefined)).toBe("startup");
    expect(parseProbe("ready")).toBe("ready");
    expect(parseProbe("everything")).toBeUndefined();
    expect((await checkHealth(undefined, deps())).status).toBe(400);
  });

  it("live needs neither the database nor ACS", async () => {
    const answer = await checkHealth("live", { database: unreachable, controlPlane: unreachable });
    expect(answer).toEqual({ status: 200, body: { ok: true, probe: "live" } });
  });

  it("startup checks the database only; ready checks the database and ACS", async () => {
    expect(await checkHealth("startup", deps({ controlPlane: unreachable }))).toEqual({
      status: 200,
      body: { ok: true, probe: "startup", checks: { database: "ok" } },
    });
    expect(await checkHealth("ready", deps())).toEqual({
      status: 200,
      body: { ok: true, probe: "ready", checks: { database: "ok", acs: "ok" } },
    });
    // An unauthenticated, side-effect-free GET: no credential leaves the probe.
    expect(identityRequests.at(-1)).toBe("GET /identities?api-version=2023-10-01 auth=none");
  });

  it("ready is 503 within its timeout when ACS hangs or is down, naming only the failed check", async () => {
    const started = Date.now();
    const hanging = await checkHealth(
      "ready",
      deps({ controlPlane: () => Promise.resolve({ endpoint: silent }) }),
    );
    expect(hanging).toEqual({
      status: 503,
      body: { ok: false, probe: "ready", checks: { database: "ok", acs: "timeout" } },
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(
      (
        await checkHealth(
          "ready",
          deps({ controlPlane: () => Promise.resolve({ endpoint: closed }) }),
        )
      ).body.checks,
    ).toEqual({ database: "ok", acs: "failed" });
    // Liveness stays green meanwhile: a restart would not bring ACS back.
    expect((await checkHealth("live", deps({ controlPlane: unreachable }))).status).toBe(200);
  });

  it("a database failure is 503 without its message (which may carry a connection string)", async () => {
    const failing = deps({
      database: () => Promise.reject(new Error(`cannot connect to ${SECRET}`)),
    });
    for (const probe of ["startup", "ready"] as const) {
      const answer = await checkHealth(probe, failing);
      expect(answer.status).toBe(503);
      expect(answer.body.checks?.database).toBe("failed");
      expect(JSON.stringify(answer.body)).not.toContain("hunter2");
    }
    const hanging = await checkHealth(
      "startup",
      deps({ database: () => new Promise(() => undefined) }),
    );
    expect(hanging.body.checks).toEqual({ database: "timeout" });
  });
});
