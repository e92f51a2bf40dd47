// The user-token verifier the chat API relies on: signature, expiry, revocation, deletion.
import { describe, expect, it } from "vitest";
import { createInMemoryKeyMaterial } from "../../src/certs";
import { EMULATOR_DEFAULTS } from "../../src/index";
import { createIdentityStore } from "../../src/identity/store";
import { createMemoryJournal } from "../../src/persistence/memory-journal";
import { createTokenIssuer } from "../../src/tokens/issuer";
import { createUserTokenVerifier } from "../../src/tokens/verifier";

const resourceId = EMULATOR_DEFAULTS.resourceId;
const keys = createInMemoryKeyMaterial();

function setup() {
  const identities = createIdentityStore(createMemoryJournal());
  const issuer = createTokenIssuer(keys.signing, resourceId);
  const verifier = createUserTokenVerifier({
    issuer,
    identities,
    resourceId,
    now: () => new Date(),
  });
  const issue = async (
    id: string,
    options: { now?: Date; minutes?: number; scopes?: string[] } = {},
  ) =>
    (
      await issuer.issue({
        acsUserId: id,
        scopes: options.scopes ?? ["chat"],
        expiresInMinutes: options.minutes ?? 60,
        tokenGeneration: identities.get(id)?.tokenGeneration ?? 0,
        now: options.now ?? new Date(),
      })
    ).token;
  return { identities, issuer, verifier, issue };
}

const userId = (suffix: string) => `8:acs:${resourceId}_${suffix}`;

describe("UserTokenVerifier", () => {
  it("accepts a valid token with or without the Bearer prefix and reports user, scopes and times", async () => {
    const { identities, verifier, issue } = setup();
    const id = userId("a");
    await identities.create(id, new Date());
    const token = await issue(id, { scopes: ["chat", "voip"], minutes: 90 });
    const verified = await verifier.verify(`Bearer ${token}`);
    expect(verified.acsUserId).toBe(id);
    expect(verified.scopes).toEqual(["chat", "voip"]);
    expect(verified.expiresOn.getTime() - verified.issuedAt.getTime()).toBe(90 * 60_000);
    await expect(verifier.verify(token)).resolves.toMatchObject({ acsUserId: id });
  });

  it("refuses a missing, malformed, tampered or foreign-signed token", async () => {
    const { identities, verifier, issue } = setup();
    const id = userId("b");
    await identities.create(id, new Date());
    const token = await issue(id);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<
      string,
      unknown
    >;
    forged.acsScope = "chat,voip";
    const tampered = [
      header,
      Buffer.from(JSON.stringify(forged)).toString("base64url"),
      signature,
    ].join(".");
    const foreign = createTokenIssuer(createInMemoryKeyMaterial().signing, resourceId);
    const foreignToken = (
      await foreign.issue({
        acsUserId: id,
        scopes: ["chat"],
        expiresInMinutes: 60,
        tokenGeneration: 0,
        now: new Date(),
      })
    ).token;
    for (const bad of [undefined, "", "Bearer", "Bearer abc", tampered, foreignToken]) {
      await expect(verifier.verify(bad)).rejects.toMatchObject({
        status: 401,
        code: "InvalidAuthenticationToken",
      });
    }
  });

  it("refuses an expired token with TokenExpired", async () => {
    const { identities, verifier, issue } = setup();
    const id = userId("c");
    await identities.create(id, new Date());
    const token = await issue(id, { now: new Date(Date.now() - 61 * 60_000), minutes: 60 });
    await expect(verifier.verify(token)).rejects.toMatchObject({
      status: 401,
      code: "TokenExpired",
    });
  });

  it("refuses tokens issued before a revocation, and accepts those issued after it in the same second", async () => {
    const { identities, verifier, issue } = setup();
    const id = userId("d");
    const now = new Date();
    await identities.create(id, now);
    const before = await issue(id, { now });
    await identities.revokeTokens(id, now);
    const after = await issue(id, { now });
    await expect(verifier.verify(before)).rejects.toMatchObject({
      status: 401,
      code: "TokenRevoked",
    });
    await expect(verifier.verify(after)).resolves.toMatchObject({ acsUserId: id });
  });

  it("refuses tokens of a deleted identity", async () => {
    const { identities, verifier, issue } = setup();
    const id = userId("e");
    await identities.create(id, new Date());
    const token = await issue(id);
    await identities.delete(id, new Date());
    await expect(verifier.verify(token)).rejects.toMatchObject({
      status: 401,
      code: "InvalidAuthenticationToken",
    });
  });

  it("refuses a token for another resource", async () => {
    const { identities, verifier } = setup();
    const id = userId("f");
    await identities.create(id, new Date());
    const other = createTokenIssuer(keys.signing, "11111111-1111-1111-1111-111111111111");
    const token = (
      await other.issue({
        acsUserId: id,
        scopes: ["chat"],
        expiresInMinutes: 60,
        tokenGeneration: 0,
        now: new Date(),
      })
    ).token;
    await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401 });
  });
});
