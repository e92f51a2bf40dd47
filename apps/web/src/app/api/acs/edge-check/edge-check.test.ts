// The Edge check against the real emulator (its plain-HTTP side, hmac-rest): outside production it
// runs the whole token lifecycle; in production it answers 404 whatever ACS_EDGE_CHECK_ENABLED says,
// before any call to the control plane (every fetch the gateway makes is counted).
import { startEmulator, type RunningEmulator } from "@acs-stack/acs-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEdgeCheck, type EdgeCheckEnv } from "./edge-check";

let emulator: RunningEmulator;
let acsVariables: EdgeCheckEnv["acsVariables"];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, inMemory: true, logLevel: "silent" });
  acsVariables = {
    ACS_ENDPOINT: `http://127.0.0.1:${emulator.port}/`,
    ACS_ACCESS_KEY: /accesskey=(.*)$/i.exec(emulator.connectionString)?.[1],
  };
});

afterAll(async () => {
  await emulator?.close();
});

/** The global fetch, counting the calls the Edge check makes. */
function countingFetch() {
  const calls: string[] = [];
  const counted: typeof fetch = (input, init) => {
    calls.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
  return { calls, fetch: counted };
}

describe("/api/acs/edge-check", () => {
  it("outside production, when enabled, creates, issues, revokes and deletes through hmac-rest", async () => {
    const { calls, fetch } = countingFetch();
    const started = Date.now();
    const response = await runEdgeCheck(
      { production: false, enabled: true, acsVariables },
      { fetch },
    );
    expect(response.status, await response.clone().text()).toBe(200);
    const body = (await response.json()) as { runtime: string; model: string; expiresOn: string };
    expect(body).toMatchObject({ runtime: "edge", model: "hmac-rest" });
    const expiresIn = Date.parse(body.expiresOn) - started;
    expect(expiresIn).toBeGreaterThan(55 * 60_000);
    expect(expiresIn).toBeLessThan(65 * 60_000);
    // create, issue, revoke, delete
    expect(calls).toHaveLength(4);
  });

  it.each([
    ["production, enabled", { production: true, enabled: true }],
    ["production, not enabled", { production: true, enabled: false }],
    ["development, not enabled", { production: false, enabled: false }],
  ])("%s: 404 without a single control-plane call", async (_label, flags) => {
    const { calls, fetch } = countingFetch();
    const response = await runEdgeCheck({ ...flags, acsVariables }, { fetch });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "Not found." });
    expect(calls).toEqual([]);
  });
});
