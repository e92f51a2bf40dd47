// The hmac-rest client against the emulator over HTTPS: failure classification and the SDK-like retry
// policy. Transient failures the emulator cannot produce on demand (503, 429) are injected in front of
// the real fetch for the first try only; every later try reaches the emulator, which checks its signature.

import type { RunningEmulator } from "@acs-stack/acs-emulator";
import { freePort } from "@acs-stack/config/free-port";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { HmacRestIdentityGateway } from "../../src/control-plane";
import { AcsGatewayError } from "../../src/control-plane/identity-gateway";
import { accessKeyOf, fetchTrusting, startEntraEmulator } from "./support";

let acs: RunningEmulator;
let realFetch: typeof fetch;

beforeAll(async () => {
  acs = await startEntraEmulator();
  realFetch = fetchTrusting(acs.caCertPem);
});

afterAll(async () => {
  await acs?.close();
});

/** A fetch that answers the first `failures` calls itself, then forwards; records every call's date. */
function flaky(failures: Response[]) {
  const dates: string[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    dates.push(new Headers(init?.headers).get("x-ms-date") ?? "");
    const injected = failures.shift();
    return injected ? Promise.resolve(injected) : realFetch(input, init);
  };
  return { fetchImpl, dates };
}

function gateway(fetchImpl: typeof fetch, endpoint = acs.endpoint, maxRetries = 3) {
  return new HmacRestIdentityGateway({
    endpoint,
    accessKey: accessKeyOf(acs.connectionString),
    fetch: fetchImpl,
    retry: { maxRetries, baseDelayMs: 1 },
  });
}

async function failure(promise: Promise<unknown>): Promise<AcsGatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AcsGatewayError);
  return error as AcsGatewayError;
}

const acsError = (status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code: "ServiceUnavailable", message: "try later" } }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

describe("HmacRestIdentityGateway retries like the SDK", () => {
  it("retries a 503 and a 500, re-signing each try", async () => {
    const { fetchImpl, dates } = flaky([acsError(503), acsError(500)]);
    await expect(gateway(fetchImpl).createUser()).resolves.toHaveProperty("acsUserId");
    expect(dates).toHaveLength(3);
  });

  it("retries a 429 that says when (Retry-After), not one that does not", async () => {
    const when = flaky([acsError(429, { "retry-after": "0" })]);
    await expect(gateway(when.fetchImpl).createUser()).resolves.toHaveProperty("acsUserId");
    expect(when.dates).toHaveLength(2);

    const bare = flaky([acsError(429)]);
    const error = await failure(gateway(bare.fetchImpl).createUser());
    expect(error).toMatchObject({ kind: "throttled", statusCode: 429 });
    expect(bare.dates).toHaveLength(1);
  });

  it("gives up after maxRetries and classifies the last answer", async () => {
    const { fetchImpl, dates } = flaky([acsError(503), acsError(503), acsError(503)]);
    const error = await failure(gateway(fetchImpl, acs.endpoint, 2).createUser());
    expect(error).toMatchObject({ kind: "unreachable", statusCode: 503 });
    expect(dates).toHaveLength(3);
  });

  it("an endpoint nobody listens on is unreachable after the retries", async () => {
    const port = await freePort();
    let calls = 0;
    const counting: typeof fetch = (input, init) => (calls++, realFetch(input, init));
    const error = await failure(gateway(counting, `https://127.0.0.1:${port}/`, 2).createUser());
    expect(error.kind).toBe("unreachable");
    expect(calls).toBe(3);
  });
});

describe("HmacRestIdentityGateway classifies ACS's answers", () => {
  it("bad input (scope, lifetime) is bad-request and not retried", async () => {
    const { fetchImpl, dates } = flaky([]);
    const client = gateway(fetchImpl);
    const { acsUserId } = await client.createUser();
    const lifetime = await failure(client.issueToken(acsUserId, ["chat"], 59));
    expect(lifetime).toMatchObject({ kind: "bad-request", statusCode: 400 });
    const scope = await failure(client.issueToken(acsUserId, ["bogus" as "chat"], 60));
    expect(scope).toMatchObject({ kind: "bad-request", statusCode: 400 });
    expect(dates).toHaveLength(3);
  });

  it("a deleted identity is not-found; a wrong key is credentials-rejected", async () => {
    const client = gateway(realFetch);
    const { acsUserId } = await client.createUser();
    await client.deleteUser(acsUserId);
    expect(await failure(client.issueToken(acsUserId, ["chat"], 60))).toMatchObject({
      kind: "not-found",
      statusCode: 404,
    });
    const wrongKey = new HmacRestIdentityGateway({
      endpoint: acs.endpoint,
      accessKey: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      fetch: realFetch,
    });
    expect(await failure(wrongKey.createUser())).toMatchObject({
      kind: "credentials-rejected",
      statusCode: 401,
    });
  });

  it("an identity of another ACS resource (401 IdentityNotOwned) is not-found, not credentials-rejected", async () => {
    const client = gateway(realFetch);
    const foreign =
      "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000";
    for (const call of [
      () => client.issueToken(foreign, ["chat"], 60),
      () => client.revokeTokens(foreign),
      () => client.deleteUser(foreign),
    ]) {
      expect(await failure(call())).toMatchObject({ kind: "not-found", statusCode: 401 });
    }
  });

  it("accepts the emulator's secondary key too (key rotation)", async () => {
    const secondary = new HmacRestIdentityGateway({
      endpoint: acs.endpoint,
      accessKey: (await import("@acs-stack/acs-emulator")).EMULATOR_DEFAULTS.secondaryAccessKey,
      fetch: realFetch,
    });
    await expect(secondary.createUser()).resolves.toHaveProperty("acsUserId");
  });
});
