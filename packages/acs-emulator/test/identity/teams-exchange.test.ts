// The Teams user token exchange through the official SDK (getTokenForTeamsUser) with Entra tokens
// of the emulator's local Entra ID: accepted for the right app and user, refused — with real ACS's
// answers (identity-1.3.0 get_token_for_teams_user_playbacklive/…) — for a token of another app, of
// another user, expired, forged, tampered, signed by another key or for another audience.
import { generateKeyPair, SignJWT, decodeJwt as joseDecodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TEAMS_AUDIENCE } from "../../src/entra";
import { startChatHarness, type ChatHarness } from "../chat/helpers";
import { decodeJwt } from "../support/emulator";

const TENANT = "0c1d2e3f-0000-4000-8000-0000000000e5";
const APP = "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac";
const OTHER_APP = "9a8b7c6d-1111-4222-8333-444455556666";
const ALICE = { upn: "alice@contoso.onmicrosoft.com", oid: "32c0a5db-05ec-48ea-91ab-3f06b329397e" };
const BOB = { upn: "bob@contoso.onmicrosoft.com", oid: "7e6d5c4b-2222-4333-8444-555566667777" };
const TEAMS_SCOPES = [`${TEAMS_AUDIENCE}/Teams.ManageCalls`, `${TEAMS_AUDIENCE}/Teams.ManageChats`];

const INVALID_TOKEN = {
  code: "InvalidAccessToken",
  message: "Provided access token is not valid.",
};

let harness: ChatHarness;

beforeAll(async () => {
  harness = await startChatHarness({
    entra: {
      principals: [
        { tenantId: TENANT, clientId: APP, clientSecret: "app", grantedAcsAccess: false },
        { tenantId: TENANT, clientId: OTHER_APP, clientSecret: "other", grantedAcsAccess: false },
      ],
      users: [
        { userPrincipalName: ALICE.upn, password: "a", objectId: ALICE.oid },
        { userPrincipalName: BOB.upn, password: "b", objectId: BOB.oid },
      ],
    },
  });
});
afterAll(async () => {
  await harness.close();
  harness.recorder.expectNoSpecViolations();
});

const identity = () => harness.emulator.identityClient({ policies: harness.recorder.clientOption });

function entraToken(
  options: { clientId?: string; upn?: string; scopes?: string[]; lifetimeSeconds?: number } = {},
): Promise<string> {
  const entra = harness.emulator.entra;
  if (!entra) throw new Error("entra is configured");
  return entra.issueUserAccessToken({
    clientId: options.clientId ?? APP,
    userPrincipalName: options.upn ?? ALICE.upn,
    scopes: options.scopes ?? TEAMS_SCOPES,
    ...(options.lifetimeSeconds !== undefined ? { lifetimeSeconds: options.lifetimeSeconds } : {}),
  });
}

const exchange = (teamsUserAadToken: string, clientId = APP, userObjectId = ALICE.oid) =>
  identity().getTokenForTeamsUser({ teamsUserAadToken, clientId, userObjectId });

/** The same claims with another payload or signature: what a forger can make. */
function resign(token: string, claims: Record<string, unknown>): string {
  const [header = "", , signature = ""] = token.split(".");
  const payload = Buffer.from(JSON.stringify({ ...joseDecodeJwt(token), ...claims }));
  return [header, payload.toString("base64url"), signature].join(".");
}

describe("getTokenForTeamsUser with a token of the local Entra ID", () => {
  it("exchanges it for an ACS token (chat, voip) of a stable identity that can chat", async () => {
    const aadToken = await entraToken({ lifetimeSeconds: 3725 });
    const first = await exchange(aadToken);
    // "a new ACS Identity access token with a matching expiration time"
    expect(first.expiresOn.getTime()).toBe((joseDecodeJwt(aadToken).exp ?? 0) * 1000);
    const second = await exchange(await entraToken());
    expect(first.expiresOn).toBeInstanceOf(Date);
    const a = decodeJwt(first.token).payload;
    expect(a.acsScope).toBe("chat,voip");
    expect(decodeJwt(second.token).payload.skypeid).toBe(a.skypeid);
    // Another user of the same app is another identity.
    const bob = await exchange(await entraToken({ upn: BOB.upn }), APP, BOB.oid);
    expect(decodeJwt(bob.token).payload.skypeid).not.toBe(a.skypeid);
    // The token works for chat.
    const thread = await harness.clientFor(first.token).createChatThread({ topic: "teams user" });
    expect(thread.chatThread?.id).toEqual(expect.any(String));
  });

  it("refuses a token of another app: 400 Provided AppId has invalid format.", async () => {
    await expect(exchange(await entraToken({ clientId: OTHER_APP }))).rejects.toMatchObject({
      statusCode: 400,
      code: "ValidationError",
      message: "Provided AppId has invalid format.",
    });
  });

  it("refuses a token of another user: 400 Provided UserId has invalid format.", async () => {
    await expect(exchange(await entraToken({ upn: BOB.upn }))).rejects.toMatchObject({
      statusCode: 400,
      code: "ValidationError",
      message: "Provided UserId has invalid format.",
    });
  });

  it.each([
    ["expired", () => entraToken({ lifetimeSeconds: 0 })],
    ["for another audience (Graph)", () => entraToken({ scopes: ["User.Read"] })],
    [
      "with a tampered payload (another user's oid, signature kept)",
      async () => resign(await entraToken({ upn: BOB.upn }), { oid: ALICE.oid }),
    ],
    [
      "with a tampered expiry",
      async () =>
        resign(await entraToken({ lifetimeSeconds: 0 }), {
          exp: Math.floor(Date.now() / 1000) + 3600,
        }),
    ],
    [
      "signed by another key (same kid and claims)",
      async () => {
        const genuine = await entraToken();
        const { privateKey } = await generateKeyPair("RS256");
        return new SignJWT(joseDecodeJwt(genuine))
          .setProtectedHeader(decodeProtectedHeader(genuine) as { alg: string })
          .sign(privateKey);
      },
    ],
    [
      "unsigned (alg none)",
      async () => {
        const claims = Buffer.from(JSON.stringify(joseDecodeJwt(await entraToken())));
        return `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${claims.toString("base64url")}.`;
      },
    ],
  ])("refuses a token %s: 401 InvalidAccessToken", async (_case, make) => {
    await expect(exchange(await make())).rejects.toMatchObject({
      statusCode: 401,
      ...INVALID_TOKEN,
    });
  });

  it("refuses a forged token with the right claims that the old shape-only check accepted", async () => {
    // Exactly what an attacker writes: a JWT with appid/oid/exp and a made-up signature.
    const forged = [
      Buffer.from('{"alg":"RS256","typ":"JWT"}').toString("base64url"),
      Buffer.from(
        JSON.stringify({
          aud: TEAMS_AUDIENCE,
          appid: APP,
          oid: ALICE.oid,
          tid: TENANT,
          exp: Math.floor(Date.now() / 1000) + 3600,
        }),
      ).toString("base64url"),
      "c2lnbmF0dXJl",
    ].join(".");
    await expect(exchange(forged)).rejects.toMatchObject({ statusCode: 401, ...INVALID_TOKEN });
  });
});
