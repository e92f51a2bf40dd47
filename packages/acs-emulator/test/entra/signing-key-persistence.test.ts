// The local Entra ID's signing key lives in the data dir (entra-signing-key.pem, 0600): an access
// token issued before a restart still opens the Identity API after it, and the JWKS is unchanged.
// In memory every emulator makes its own key, so its tokens verify nowhere else.
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { CommunicationIdentityClient } from "@azure/communication-identity";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { ENTRA_SIGNING_KEY_FILE } from "../../src/entra";
import type { EntraOptions } from "../../src/index";
import { startTestEmulator, type TestEmulator } from "../support/emulator";

const TENANT = "3c9e0d52-1b7a-4f00-9a55-00000000beef";
const APP = { clientId: "persisted-app", clientSecret: "persisted-secret" };
const ENTRA: EntraOptions = {
  principals: [{ tenantId: TENANT, ...APP, grantedAcsAccess: true }],
};

let dataDir: string;
const running: TestEmulator[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "acs-emulator-entra-key-"));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
  await rm(dataDir, { recursive: true, force: true });
});

async function start(options: { inMemory: boolean }): Promise<TestEmulator> {
  const emulator = await startTestEmulator({
    entra: ENTRA,
    ...(options.inMemory ? { inMemory: true } : { inMemory: false, dataDir }),
  });
  running.push(emulator);
  return emulator;
}

/** The client-credentials grant, as MSAL sends it (over the plain-HTTP side of the same port). */
async function entraToken(emulator: TestEmulator): Promise<string> {
  const response = await fetch(`${emulator.httpEndpoint}${TENANT}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      scope: "https://communication.azure.com//.default",
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function jwks(emulator: TestEmulator): Promise<unknown> {
  const response = await fetch(`${emulator.httpEndpoint}${TENANT}/discovery/v2.0/keys`);
  expect(response.status).toBe(200);
  return response.json();
}

/** The Identity API through the official SDK, authenticated with a fixed Entra ID access token. */
function identityClientWith(emulator: TestEmulator, token: string) {
  return new CommunicationIdentityClient(
    emulator.endpoint,
    { getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 600_000 }) },
    { tlsOptions: { ca: emulator.caCertPem }, retryOptions: { maxRetries: 0 } },
  );
}

async function statusOf(promise: Promise<unknown>): Promise<number | "ok"> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return (error as { statusCode?: number }).statusCode ?? -1;
  }
}

describe("with a data dir", () => {
  it("a token issued before a restart still verifies after it, and the JWKS is the same", async () => {
    const first = await start({ inMemory: false });
    const token = await entraToken(first);
    const keysBefore = await jwks(first);
    expect(await statusOf(identityClientWith(first, token).createUser())).toBe("ok");
    await first.close();

    const second = await start({ inMemory: false });
    expect(await jwks(second)).toEqual(keysBefore);
    expect(await statusOf(identityClientWith(second, token).createUser())).toBe("ok");
  });

  it("keeps the key in entra-signing-key.pem, readable by its owner only", async () => {
    const emulator = await start({ inMemory: false });
    await entraToken(emulator);
    const { mode } = await stat(path.join(dataDir, ENTRA_SIGNING_KEY_FILE));
    expect(mode & 0o777).toBe(0o600);
  });

  it("refuses to start on a damaged key file, naming it", async () => {
    await writeFile(path.join(dataDir, ENTRA_SIGNING_KEY_FILE), "not a key", { mode: 0o600 });
    await expect(start({ inMemory: false })).rejects.toThrow(
      new RegExp(`${ENTRA_SIGNING_KEY_FILE} is not a PEM private key`),
    );
  });
});

describe("in memory", () => {
  it("each emulator has its own key: a token of one is refused by the next (401)", async () => {
    const first = await start({ inMemory: true });
    const second = await start({ inMemory: true });
    expect(await jwks(second)).not.toEqual(await jwks(first));
    const token = await entraToken(first);
    expect(await statusOf(identityClientWith(first, token).createUser())).toBe("ok");
    expect(await statusOf(identityClientWith(second, token).createUser())).toBe(401);
  });
});
