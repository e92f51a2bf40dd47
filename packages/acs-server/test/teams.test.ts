// acs.teams.exchangeToken through createCaller, against the real emulator over HTTPS: Entra access
// tokens from its local Entra ID, the exchange through both gateways (the official SDK's
// getTokenForTeamsUser, and the HMAC-signed REST call), and every refusal mapped once at the boundary.
import { inspect } from "node:util";

import type { RunningEmulator } from "@acs-stack/acs-emulator";
import { startEmulator } from "@acs-stack/acs-emulator";
import { ChatClient } from "@azure/communication-chat";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { TRPCError } from "@trpc/server";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { HmacRestIdentityGateway } from "../src/control-plane/hmac-rest-gateway";
import type { IdentityGateway } from "../src/control-plane/identity-gateway";
import { AcsGatewayError } from "../src/control-plane/identity-gateway";
import type { Database } from "../src/db";
import { createDatabase } from "../src/db";
import type { TeamsSignIn } from "../src/domain/teams";
import { readServerEnv } from "../src/env";
import { toTRPCError } from "../src/errors";
import type { LogFields } from "../src/observability/call-log";
import { acsServerRouter } from "../src/root";
import type { AcsServices } from "../src/services";
import { createAcsServices } from "../src/services";
import type { SessionUser } from "../src/contract";
import { createCallerFactory, createTRPCContext } from "../src/trpc";
import { accessKeyOf, fetchTrusting } from "./control-plane/support";
import { sdkGatewayFor } from "./helpers/emulator";
import { forgedCopyOf, teamsAccessToken } from "./helpers/entra";
import { createTestUser } from "./helpers/users";

const TENANT_ID = "00000000-0000-0000-0000-00000000e417";
/** The app (its Entra registration) and another app of the same tenant. */
const APP = { clientId: "5b1e6a0c-7d2f-4c38-9a41-0e6f3c2d7a10", clientSecret: "app-secret-T3ams" };
const OTHER_APP = {
  clientId: "c0ffee00-1234-4abc-8def-00000000beef",
  clientSecret: "other-secret-0th3r",
};
const ALICE = {
  userPrincipalName: "alice@contoso.test",
  password: "alice-pass-1",
  displayName: "Alice Teams",
  objectId: "a11ce000-0000-4000-8000-00000000a11c",
};
const BOB = {
  userPrincipalName: "bob@contoso.test",
  password: "bob-pass-2",
  displayName: "Bob Teams",
  objectId: "b0b00000-0000-4000-8000-000000000b0b",
};
const SIGN_IN_AGAIN = "Your Microsoft sign-in has expired or is not valid; sign in again.";

let emulator: RunningEmulator;
let database: Database;

beforeAll(async () => {
  [emulator, database] = await Promise.all([
    startEmulator({
      host: "127.0.0.1",
      port: 0,
      inMemory: true,
      logLevel: "silent",
      entra: {
        principals: [
          { tenantId: TENANT_ID, ...APP, grantedAcsAccess: true },
          { tenantId: TENANT_ID, ...OTHER_APP, grantedAcsAccess: true },
        ],
        users: [ALICE, BOB],
      },
    }),
    createDatabase({ memory: true }),
  ]);
});

afterAll(async () => {
  await database?.close();
  await emulator?.close();
});

/** Wraps a gateway to count the exchanges that reached ACS. */
function countingExchanges(inner: IdentityGateway): IdentityGateway & { exchanges: number } {
  const counted = {
    exchanges: 0,
    model: inner.model,
    endpoint: inner.endpoint,
    emulator: inner.emulator,
    createUser: () => inner.createUser(),
    issueToken: inner.issueToken.bind(inner),
    revokeTokens: (id: string) => inner.revokeTokens(id),
    deleteUser: (id: string) => inner.deleteUser(id),
    exchangeTeamsUserToken: (request: Parameters<IdentityGateway["exchangeTeamsUserToken"]>[0]) => {
      counted.exchanges += 1;
      return inner.exchangeTeamsUserToken(request);
    },
    close: () => inner.close(),
  };
  return counted;
}

const gateways: Array<[string, () => IdentityGateway]> = [
  [
    "the SDK gateway (getTokenForTeamsUser)",
    () => sdkGatewayFor(emulator.connectionString, emulator),
  ],
  [
    "the HMAC-signed REST gateway",
    () =>
      new HmacRestIdentityGateway({
        endpoint: emulator.endpoint,
        accessKey: accessKeyOf(emulator.connectionString),
        fetch: fetchTrusting(emulator.caCertPem),
        emulator: true,
        emulatorCaCertPem: emulator.caCertPem,
        retry: { maxRetries: 0 },
      }),
  ],
];

describe.each(gateways)("acs.teams.exchangeToken through %s", (_name, makeGateway) => {
  let gateway: IdentityGateway & { exchanges: number };
  let services: AcsServices;
  let user: SessionUser;
  /** Every log line of every call in this block, and everything each call answered or threw. */
  const logLines: string[] = [];
  const observed: unknown[] = [];
  /** Every Entra token handed to the procedure in this block. */
  const entraTokens: string[] = [];
  const createCaller = createCallerFactory(acsServerRouter);

  beforeAll(async () => {
    gateway = countingExchanges(makeGateway());
    services = await createAcsServices({
      env: readServerEnv({}),
      database,
      gateway,
      tokenRateLimitPerMinute: 1000,
    });
    user = await createTestUser(database, "Teams");
  });

  afterAll(async () => {
    await services?.close();
  });

  function signIn(accessToken: string, objectId = ALICE.objectId, clientId = APP.clientId) {
    entraTokens.push(accessToken);
    return (): Promise<TeamsSignIn> => Promise.resolve({ accessToken, clientId, objectId });
  }

  async function exchange(
    teamsUserToken: (() => Promise<TeamsSignIn | null>) | undefined,
    caller: SessionUser | null = user,
    extra: { sessionActive?: () => Promise<boolean>; services?: AcsServices } = {},
  ) {
    const ctx = createTRPCContext({
      user: caller,
      services: extra.services ?? services,
      ...(teamsUserToken ? { teamsUserToken } : {}),
      ...(extra.sessionActive ? { sessionActive: extra.sessionActive } : {}),
      log: {
        requestId: "req-teams",
        tagUser: (id) => `tag-${id.slice(0, 4)}`,
        logger: {
          info: (fields: LogFields, message: string) =>
            logLines.push(JSON.stringify({ fields, message })),
          warn: (fields: LogFields, message: string) =>
            logLines.push(JSON.stringify({ fields, message })),
          error: (fields: LogFields, message: string) =>
            logLines.push(JSON.stringify({ fields, message })),
        },
      },
    });
    try {
      const result = await createCaller(ctx).acs.teams.exchangeToken();
      observed.push(result);
      return result;
    } catch (error) {
      observed.push(error);
      throw error;
    }
  }

  async function refusal(promise: Promise<unknown>): Promise<TRPCError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TRPCError);
    return error as TRPCError;
  }

  it("exchanges the person's Entra token for a working ACS token of their Teams identity", async () => {
    const entraToken = await teamsAccessToken(emulator, {
      clientId: APP.clientId,
      userPrincipalName: ALICE.userPrincipalName,
    });
    const before = gateway.exchanges;
    const issued = await exchange(signIn(entraToken));
    expect(gateway.exchanges).toBe(before + 1);

    expect(issued.identityKind).toBe("teamsUser");
    expect(issued.endpoint).toBe(emulator.endpoint);
    expect(issued.emulator).toBe(true);
    expect(issued.scopes).toEqual(["chat", "voip"]);
    const claims = decodeJwt(issued.token);
    expect(`8:${String(claims.skypeid)}`).toBe(issued.acsUserId);
    expect(claims.exp! * 1000).toBe(Date.parse(issued.expiresOn));
    expect(Date.parse(issued.expiresOn)).toBeGreaterThan(Date.parse(issued.serverTime));

    // The token is an ACS token the Chat service accepts.
    const chat = new ChatClient(
      emulator.endpoint,
      new AzureCommunicationTokenCredential(issued.token),
      { tlsOptions: { ca: emulator.caCertPem }, retryOptions: { maxRetries: 0 } },
    );
    const created = await chat.createChatThread({ topic: "Teams user's chat" });
    expect(created.chatThread?.id).toMatch(/^19:/);

    // A second exchange (the browser's refresh) maps to the same identity.
    const again = await exchange(
      signIn(
        await teamsAccessToken(emulator, {
          clientId: APP.clientId,
          userPrincipalName: ALICE.userPrincipalName,
        }),
      ),
    );
    expect(again.acsUserId).toBe(issued.acsUserId);

    // Audited like token issuance: who, which identity, scopes and expiry; never a token.
    const trail = await services.grants.auditTrail(user.id);
    const exchanged = trail.filter((row) => row.action === "teams.token.exchanged");
    expect(exchanged.at(-1)).toMatchObject({
      acsUserId: issued.acsUserId,
      scopes: ["chat", "voip"],
      expiresOn: new Date(again.expiresOn),
    });
    expect(JSON.stringify(trail)).not.toContain(issued.token);
    expect(JSON.stringify(trail)).not.toContain(entraToken);
  });

  it("refuses a token issued to another app with FORBIDDEN, before asking ACS", async () => {
    const otherAppsToken = await teamsAccessToken(emulator, {
      clientId: OTHER_APP.clientId,
      userPrincipalName: ALICE.userPrincipalName,
    });
    const before = gateway.exchanges;
    const error = await refusal(exchange(signIn(otherAppsToken)));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toBe(
      "Your Microsoft sign-in was issued to another app; sign in to this app again.",
    );
    expect(gateway.exchanges).toBe(before);
  });

  it("refuses another person's token (object id mismatch) with FORBIDDEN, before asking ACS", async () => {
    const bobsToken = await teamsAccessToken(emulator, {
      clientId: APP.clientId,
      userPrincipalName: BOB.userPrincipalName,
    });
    const before = gateway.exchanges;
    const error = await refusal(exchange(signIn(bobsToken, ALICE.objectId)));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toBe(
      "Your Microsoft sign-in belongs to another person than the one signed in here.",
    );
    expect(gateway.exchanges).toBe(before);
  });

  it("maps ACS's own refusal of a mismatched app or person (400 ValidationError) to FORBIDDEN", async () => {
    // Past our check (the gateway called directly), ACS itself refuses: as recorded, 400 ValidationError.
    const alicesToken = await teamsAccessToken(emulator, {
      clientId: APP.clientId,
      userPrincipalName: ALICE.userPrincipalName,
    });
    entraTokens.push(alicesToken);
    for (const [clientId, userObjectId, target] of [
      [OTHER_APP.clientId, ALICE.objectId, "AppId"],
      [APP.clientId, BOB.objectId, "UserId"],
    ] as const) {
      const failure = await gateway
        .exchangeTeamsUserToken({ teamsUserAadToken: alicesToken, clientId, userObjectId })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(failure).toBeInstanceOf(AcsGatewayError);
      expect(failure).toMatchObject({
        kind: "teams-token-refused",
        statusCode: 400,
        code: "ValidationError",
      });
      expect((failure as Error).message).toContain(`Provided ${target} has invalid format.`);
      // The SDK's RestError (which holds the request body) is not kept as the cause.
      expect((failure as Error).cause).toBeUndefined();
      const mapped = toTRPCError(failure);
      expect(mapped.code).toBe("FORBIDDEN");
      observed.push(failure, mapped);
    }
  });

  it("refuses an expired token with UNAUTHORIZED: sign in again", async () => {
    const expired = await teamsAccessToken(emulator, {
      clientId: APP.clientId,
      userPrincipalName: ALICE.userPrincipalName,
      lifetimeSeconds: 0,
    });
    const before = gateway.exchanges;
    const error = await refusal(exchange(signIn(expired)));
    // ACS decides (401 InvalidAccessToken), the boundary words it.
    expect(gateway.exchanges).toBe(before + 1);
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error.message).toBe(SIGN_IN_AGAIN);
    expect(error.cause).toMatchObject({ kind: "teams-token-invalid", statusCode: 401 });
  });

  it("refuses a token with a forged signature with UNAUTHORIZED", async () => {
    const genuine = await teamsAccessToken(emulator, {
      clientId: APP.clientId,
      userPrincipalName: ALICE.userPrincipalName,
    });
    const forged = await forgedCopyOf(genuine);
    // Same claims: our claim check passes, only ACS's signature check can refuse it.
    expect(decodeJwt(forged)).toEqual(decodeJwt(genuine));
    const error = await refusal(exchange(signIn(forged)));
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error.message).toBe(SIGN_IN_AGAIN);
    expect(error.cause).toMatchObject({ kind: "teams-token-invalid", code: "InvalidAccessToken" });
  });

  it("refuses a Microsoft Graph token of the same app and person with UNAUTHORIZED", async () => {
    // The sign-in's access token when the Teams scopes were not asked: right appid and oid, wrong audience.
    const graphToken = await teamsAccessToken(emulator, {
      clientId: APP.clientId,
      userPrincipalName: ALICE.userPrincipalName,
      scopes: ["openid", "profile", "User.Read"],
    });
    expect(decodeJwt(graphToken).aud).not.toBe("https://auth.msft.communication.azure.com");
    const error = await refusal(exchange(signIn(graphToken)));
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error.message).toBe(SIGN_IN_AGAIN);
  });

  it("refuses a sign-in whose token is not a JWT with UNAUTHORIZED, before asking ACS", async () => {
    const before = gateway.exchanges;
    const error = await refusal(exchange(signIn("not-a-jwt-4f9d2c7b1e")));
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error.message).toBe(SIGN_IN_AGAIN);
    expect(gateway.exchanges).toBe(before);
  });

  it("answers PRECONDITION_FAILED without an Entra sign-in (no context function, or it gives null)", async () => {
    for (const teamsUserToken of [undefined, () => Promise.resolve(null)]) {
      const error = await refusal(exchange(teamsUserToken));
      expect(error.code).toBe("PRECONDITION_FAILED");
      expect(error.message).toBe("Sign in with Microsoft Entra ID to use a Teams identity.");
    }
  });

  it("refuses an anonymous caller (UNAUTHORIZED) and an ended session without asking ACS", async () => {
    const token = await teamsAccessToken(emulator, {
      clientId: APP.clientId,
      userPrincipalName: ALICE.userPrincipalName,
    });
    const before = gateway.exchanges;
    expect((await refusal(exchange(signIn(token), null))).code).toBe("UNAUTHORIZED");
    const ended = await refusal(
      exchange(signIn(token), user, { sessionActive: () => Promise.resolve(false) }),
    );
    expect(ended.code).toBe("UNAUTHORIZED");
    expect(ended.message).toBe("Your sign-in session has ended: sign in again.");
    expect(gateway.exchanges).toBe(before);
  });

  it("counts exchanges against the token issuance rate limit", async () => {
    // A fixed clock: the three calls fall in one window of the fixed-window counter.
    const fixed = new Date();
    const limited = await createAcsServices({
      env: readServerEnv({}),
      database,
      gateway,
      tokenRateLimitPerMinute: 2,
      now: () => fixed,
    });
    try {
      const person = await createTestUser(database, "Limited Teams");
      const token = await teamsAccessToken(emulator, {
        clientId: APP.clientId,
        userPrincipalName: ALICE.userPrincipalName,
      });
      await exchange(signIn(token), person, { services: limited });
      await limited.tokens.issue(
        person,
        { scopes: ["chat"] },
        {
          sessionActive: () => Promise.resolve(true),
        },
      );
      const error = await refusal(exchange(signIn(token), person, { services: limited }));
      expect(error.code).toBe("TOO_MANY_REQUESTS");
    } finally {
      await limited.close();
    }
  });

  it("never shows the Entra token: not in an answer, an error (causes included) or a log line", () => {
    const everything = [...logLines, ...observed.map((o) => inspect(o, { depth: 20 }))].join("\n");
    expect(entraTokens.length).toBeGreaterThan(5);
    for (const token of entraTokens) {
      // Nor its payload (it names the person and the app) or signature; the header is not the token's own.
      for (const part of token.split(".").slice(1)) expect(everything).not.toContain(part);
      expect(everything).not.toContain(token);
    }
  });

  it("logs one line per call with the outcome and no message", () => {
    const parsed = logLines.map((line) => JSON.parse(line) as { fields: LogFields });
    expect(parsed.length).toBeGreaterThan(0);
    expect(parsed.every((line) => line.fields.procedure === "acs.teams.exchangeToken")).toBe(true);
    const outcomes = new Set(parsed.map((line) => line.fields.outcome));
    for (const outcome of ["ok", "FORBIDDEN", "UNAUTHORIZED", "PRECONDITION_FAILED"]) {
      expect(outcomes).toContain(outcome);
    }
  });
});
