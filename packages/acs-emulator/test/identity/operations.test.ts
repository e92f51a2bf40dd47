// Every Identity operation's success path, through the official CommunicationIdentityClient over HTTPS,
// with every response validated against the official OpenAPI spec.
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSpecValidationPolicy } from "../support/spec-validation";
import { decodeJwt, startTestEmulator, type TestEmulator } from "../support/emulator";

const ID_PATTERN = /^8:acs:([0-9a-f-]{36})_([^_:]+)$/;

let emulator: TestEmulator;
const recorder = createSpecValidationPolicy();

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.close();
  recorder.expectNoSpecViolations();
  expect(recorder.checked()).toBeGreaterThan(0);
});

const client = () => emulator.identityClient({ policies: recorder.clientOption });

async function jwks() {
  const response = await fetch(`${emulator.httpEndpoint}emulator/.well-known/jwks.json`);
  expect(response.status).toBe(200);
  return createLocalJWKSet((await response.json()) as Parameters<typeof createLocalJWKSet>[0]);
}

describe("createUser", () => {
  it("returns a communication user id with the resource id and exactly one '_'", async () => {
    const user = await client().createUser();
    const match = ID_PATTERN.exec(user.communicationUserId);
    expect(match?.[1]).toBe(emulator.resourceId);
    expect(user.communicationUserId.split("_")).toHaveLength(2);
    const second = await client().createUser();
    expect(second.communicationUserId).not.toBe(user.communicationUserId);
  });
});

describe("createUserAndToken", () => {
  it("returns the user and a token with the default 24 h lifetime and the requested scopes", async () => {
    const before = Date.now();
    const result = await client().createUserAndToken(["chat", "voip"]);
    const after = Date.now();
    expect(result.user.communicationUserId).toMatch(ID_PATTERN);
    expect(result.expiresOn).toBeInstanceOf(Date);
    // Issued at some instant between `before` and `after` (the server's clock is this one).
    expect((result.expiresOn.getTime() - before) / 60_000).toBeGreaterThan(1439);
    expect((result.expiresOn.getTime() - after) / 60_000).toBeLessThanOrEqual(1440);
    const { payload } = decodeJwt(result.token);
    expect(payload.acsScope).toBe("chat,voip");
    expect(payload.skypeid).toBe(result.user.communicationUserId.slice(2));
  });

  it("honours tokenExpiresInMinutes", async () => {
    const before = Date.now();
    const result = await client().createUserAndToken(["chat"], { tokenExpiresInMinutes: 60 });
    const after = Date.now();
    expect((result.expiresOn.getTime() - before) / 60_000).toBeGreaterThan(59);
    expect((result.expiresOn.getTime() - after) / 60_000).toBeLessThanOrEqual(60);
  });
});

describe("getToken", () => {
  it("issues an RS256 token with the real ACS claims, verifiable with the emulator's JWKS", async () => {
    const user = await client().createUser();
    const issued = await client().getToken(user, ["chat", "voip.join"], {
      tokenExpiresInMinutes: 120,
    });
    const { header, payload } = decodeJwt(issued.token);
    expect(header.alg).toBe("RS256");
    expect(typeof header.kid).toBe("string");
    const verified = await jwtVerify(issued.token, await jwks());
    expect(verified.payload).toMatchObject({
      skypeid: user.communicationUserId.replace(/^8:/, ""),
      scp: 1792,
      acsScope: "chat,voip.join",
      resourceId: emulator.resourceId,
      resourceLocation: "unitedstates",
    });
    expect(payload.csi).toBe(String(payload.iat));
    expect(payload.exp).toBe((payload.iat as number) + 120 * 60);
    expect(issued.expiresOn.getTime()).toBe((payload.exp as number) * 1000);
  });

  it("accepts every documented scope", async () => {
    const user = await client().createUser();
    const scopes = ["chat", "voip", "chat.join", "chat.join.limited", "voip.join"] as const;
    const issued = await client().getToken(user, [...scopes]);
    expect(decodeJwt(issued.token).payload.acsScope).toBe(scopes.join(","));
  });
});

describe("revokeTokens and deleteUser", () => {
  it("revoke answers 204 and a new token can be issued afterwards", async () => {
    const user = await client().createUser();
    await client().getToken(user, ["chat"]);
    await expect(client().revokeTokens(user)).resolves.toBeUndefined();
    const after = await client().getToken(user, ["chat"]);
    expect(after.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("delete answers 204, then every operation on that identity is 404", async () => {
    const user = await client().createUser();
    await expect(client().deleteUser(user)).resolves.toBeUndefined();
    for (const call of [
      () => client().getToken(user, ["chat"]),
      () => client().revokeTokens(user),
      () => client().deleteUser(user),
    ]) {
      await expect(call()).rejects.toMatchObject({ statusCode: 404, code: "IdentityNotFound" });
    }
  });

  it("an identity that never existed is 404", async () => {
    const ghost = {
      communicationUserId: `8:acs:${emulator.resourceId}_00000000-0000-0000-0000-000000000000`,
    };
    await expect(client().getToken(ghost, ["chat"])).rejects.toMatchObject({ statusCode: 404 });
  });
});
