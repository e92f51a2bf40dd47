// Every procedure through createCaller and through the HTTP fetch adapter, against the real
// emulator over HTTPS (official SDKs) and a real PGlite database.
import { ChatClient } from "@azure/communication-chat";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RouterOutputs } from "../src";
import type { Database } from "../src/db";
import { createDatabase, schema } from "../src/db";
import { readServerEnv } from "../src/env";
import type { AcsServices } from "../src/services";
import { createAcsServices } from "../src/services";
import type { SessionUser } from "../src/contract";
import type { TestAcs } from "./helpers/emulator";
import { startTestAcs, statusOf } from "./helpers/emulator";
import type { Transport } from "./helpers/transports";
import { ALL_PROCEDURES, callerTransport, failureOf, httpTransport } from "./helpers/transports";
import { createTestUser } from "./helpers/users";

type Issued = RouterOutputs["acs"]["token"]["issue"];
type Me = RouterOutputs["acs"]["identity"]["me"];
type Found = RouterOutputs["acs"]["directory"]["search"];
type Added = RouterOutputs["acs"]["directory"]["addToChat"];

let acs: TestAcs;
let database: Database;
let services: AcsServices;
/** Users in this set may only get `chat` (the per-user scope policy under test). */
const chatOnlyUsers = new Set<string>();

beforeAll(async () => {
  [acs, database] = await Promise.all([startTestAcs(), createDatabase({ memory: true })]);
  services = await createAcsServices({
    env: readServerEnv({}),
    database,
    gateway: acs.gateway,
    scopePolicy: (user) => (chatOnlyUsers.has(user.id) ? ["chat"] : ["chat", "voip", "presence"]),
  });
});

afterAll(async () => {
  await services?.close();
  await database?.close();
  await acs?.close();
});

function claimsOf(token: string): { acsScope: string; exp: number; skypeid: string } {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as {
    acsScope: string;
    exp: number;
    skypeid: string;
  };
}

function minutesBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / 60_000;
}

function chatClientFor(token: string): ChatClient {
  return new ChatClient(acs.emulator.endpoint, new AzureCommunicationTokenCredential(token), {
    tlsOptions: { ca: acs.emulator.caCertPem },
    retryOptions: { maxRetries: 0 },
  });
}

describe.each([
  ["createCaller", (s: AcsServices) => callerTransport(s)],
  ["http fetch adapter", (s: AcsServices) => httpTransport(s)],
])("procedures through %s", (_name, makeTransport) => {
  let api: Transport;
  let user: SessionUser;
  beforeAll(async () => {
    api = makeTransport(services);
    user = await createTestUser(database, "Caller");
  });

  it("identity.me is null until the first token.issue creates the identity, then returns it", async () => {
    const newcomer = await createTestUser(database, "Newcomer");
    // A query has no side effects (a cross-site <img> GET can trigger it): nothing is created.
    expect(await api.call<Me>(newcomer, "acs.identity.me")).toBeNull();
    expect(await api.call<Me>(newcomer, "acs.identity.me")).toBeNull();
    const [row] = await database.orm
      .select()
      .from(schema.acsIdentities)
      .where(eq(schema.acsIdentities.userId, newcomer.id));
    expect(row).toBeUndefined();

    const issued = await api.call<Issued>(newcomer, "acs.token.issue", { scopes: ["chat"] });
    const first = await api.call<Me>(newcomer, "acs.identity.me");
    expect(first?.acsUserId).toBe(issued.acsUserId);
    expect(first?.acsUserId).toMatch(/^8:acs:/);
    expect(Number.isNaN(Date.parse(first?.createdAt ?? ""))).toBe(false);
    expect(await api.call<Me>(newcomer, "acs.identity.me")).toEqual(first);
    // The identity exists in ACS: the official client can issue it a token.
    expect(
      await statusOf(
        acs.identityClient.getToken({ communicationUserId: issued.acsUserId }, ["chat"]),
      ),
    ).toBe("ok");
  });

  it("token.issue returns a 24 h token with the default scopes (presence never sent to ACS)", async () => {
    const issued = await api.call<Issued>(user, "acs.token.issue");
    const me = (await api.call<Me>(user, "acs.identity.me"))!;
    expect(issued.scopes).toEqual(["chat", "voip", "presence"]);
    expect(claimsOf(issued.token).acsScope).toBe("chat,voip");
    expect(claimsOf(issued.token).skypeid).toBe(me.acsUserId.slice(2));
    expect(issued.acsUserId).toBe(me.acsUserId);
    expect(issued.endpoint).toBe(acs.emulator.endpoint);
    expect(issued.emulator).toBe(true);
    expect(minutesBetween(issued.serverTime, issued.expiresOn)).toBeCloseTo(1440, 0);
  });

  it("token.issue honours requested scopes and lifetime", async () => {
    const issued = await api.call<Issued>(user, "acs.token.issue", {
      scopes: ["chat"],
      expiresInMinutes: 60,
    });
    expect(issued.scopes).toEqual(["chat"]);
    expect(claimsOf(issued.token).acsScope).toBe("chat");
    expect(minutesBetween(issued.serverTime, issued.expiresOn)).toBeCloseTo(60, 0);
  });

  it("token.refresh re-issues the scopes and lifetime of the current grant", async () => {
    await api.call<Issued>(user, "acs.token.issue", {
      scopes: ["voip", "presence"],
      expiresInMinutes: 90,
    });
    const refreshed = await api.call<Issued>(user, "acs.token.refresh");
    expect(refreshed.scopes).toEqual(["voip", "presence"]);
    expect(claimsOf(refreshed.token).acsScope).toBe("voip");
    expect(minutesBetween(refreshed.serverTime, refreshed.expiresOn)).toBeCloseTo(90, 0);
  });

  it("token.refresh without any grant is UNAUTHORIZED", async () => {
    const fresh = await createTestUser(database, "NoGrant");
    const failure = await failureOf(api.call(fresh, "acs.token.refresh"));
    expect(failure.code).toBe("UNAUTHORIZED");
    expect(failure.message).toMatch(/acs\.token\.issue first/);
  });

  it("token.revoke makes the previous token fail against the chat API", async () => {
    const revokee = await createTestUser(database, "Revokee");
    const before = await api.call<Issued>(revokee, "acs.token.issue", { scopes: ["chat"] });
    await chatClientFor(before.token).createChatThread({ topic: "before revoke" });

    const result = await api.call<{ revoked: true; revokedAt: string }>(
      revokee,
      "acs.token.revoke",
    );
    expect(result.revoked).toBe(true);
    expect(Number.isNaN(Date.parse(result.revokedAt))).toBe(false);

    expect(
      await statusOf(chatClientFor(before.token).createChatThread({ topic: "after revoke" })),
    ).toBe(401);
    const refresh = await failureOf(api.call(revokee, "acs.token.refresh"));
    expect(refresh.code).toBe("UNAUTHORIZED");
    expect(refresh.message).toMatch(/revoked/);

    // A new issue (a fresh sign-in) works again.
    const after = await api.call<Issued>(revokee, "acs.token.issue", { scopes: ["chat"] });
    await chatClientFor(after.token).createChatThread({ topic: "after re-issue" });
  });

  it("identity.delete removes the identity in ACS; the next issue creates a new one", async () => {
    const leaver = await createTestUser(database, "Leaver");
    const old = await api.call<Issued>(leaver, "acs.token.issue");
    expect(await api.call(leaver, "acs.identity.delete")).toEqual({ deleted: true });
    expect(
      await statusOf(acs.identityClient.getToken({ communicationUserId: old.acsUserId }, ["chat"])),
    ).toBe(404);
    // Retrying a completed deletion is harmless.
    expect(await api.call(leaver, "acs.identity.delete")).toEqual({ deleted: true });
    expect((await failureOf(api.call(leaver, "acs.token.refresh"))).code).toBe("UNAUTHORIZED");

    const renewed = await api.call<Issued>(leaver, "acs.token.issue");
    expect(renewed.acsUserId).not.toBe(old.acsUserId);
    expect((await api.call<Me>(leaver, "acs.identity.me"))?.acsUserId).toBe(renewed.acsUserId);
  });

  it("directory.search finds others by display-name prefix or exact email, never the caller", async () => {
    const tag = `qx${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const caller = await createTestUser(database, `${tag} Searcher`);
    const other = await createTestUser(database, `${tag} Grace`);
    const byName = await api.call<Found>(caller, "acs.directory.search", {
      query: `${tag} G`.toUpperCase(),
    });
    expect(byName).toEqual([{ userId: other.id, displayName: other.name }]);
    expect(
      (await api.call<Found>(caller, "acs.directory.search", { query: tag })).map((f) => f.userId),
    ).toEqual([other.id]);
    expect(
      await api.call<Found>(caller, "acs.directory.search", { query: other.email!.toUpperCase() }),
    ).toEqual(byName);
    // Neither a part of the address nor a word inside the name is enough.
    expect(
      await api.call<Found>(caller, "acs.directory.search", { query: other.email!.slice(1) }),
    ).toEqual([]);
    expect(
      await api.call<Found>(caller, "acs.directory.search", { query: "@example.test" }),
    ).toEqual([]);
    expect(
      await api.call<Found>(caller, "acs.directory.search", { query: "Grace" }),
    ).not.toContainEqual(byName[0]);
    expect(await api.call<Found>(caller, "acs.directory.search", { query: "%%" })).toEqual([]);
  });

  it("directory.addToChat returns the people with their ACS ids (created on demand, real in ACS)", async () => {
    const caller = await createTestUser(database, "Starter");
    const [grace, hugo] = [
      await createTestUser(database, "Grace"),
      await createTestUser(database, "Hugo"),
    ];
    const added = await api.call<Added>(caller, "acs.directory.addToChat", {
      userIds: [grace.id, hugo.id, grace.id],
    });
    expect(added.map(({ userId, displayName }) => ({ userId, displayName }))).toEqual([
      { userId: grace.id, displayName: grace.name },
      { userId: hugo.id, displayName: hugo.name },
    ]);
    for (const [person, entry] of [
      [grace, added[0]!],
      [hugo, added[1]!],
    ] as const) {
      expect(
        await statusOf(
          acs.identityClient.getToken({ communicationUserId: entry.acsUserId }, ["chat"]),
        ),
      ).toBe("ok");
      expect((await api.call<Me>(person, "acs.identity.me"))?.acsUserId).toBe(entry.acsUserId);
    }
    // Oneself, nobody, or someone who does not exist: refused.
    expect(
      (await failureOf(api.call(caller, "acs.directory.addToChat", { userIds: [caller.id] }))).code,
    ).toBe("BAD_REQUEST");
    expect(
      (await failureOf(api.call(caller, "acs.directory.addToChat", { userIds: [] }))).code,
    ).toBe("BAD_REQUEST");
    const unknown = await failureOf(
      api.call(caller, "acs.directory.addToChat", { userIds: [grace.id, "no-such-user"] }),
    );
    expect(unknown.code).toBe("NOT_FOUND");
    expect(unknown.message).toContain("1 of the named users does not exist");
  });

  it("refuses every procedure to an anonymous caller with UNAUTHORIZED", async () => {
    for (const path of ALL_PROCEDURES) {
      const input = path === "acs.directory.search" ? { query: "ab" } : undefined;
      const failure = await failureOf(api.call(null, path, input));
      expect({ path, code: failure.code }).toEqual({ path, code: "UNAUTHORIZED" });
      if (failure.httpStatus !== undefined) expect(failure.httpStatus).toBe(401);
    }
  });

  it("refuses scopes outside the user's policy with FORBIDDEN naming the scope", async () => {
    const limited = await createTestUser(database, "Limited");
    chatOnlyUsers.add(limited.id);
    const failure = await failureOf(
      api.call(limited, "acs.token.issue", { scopes: ["chat", "voip"] }),
    );
    expect(failure.code).toBe("FORBIDDEN");
    expect(failure.message).toContain("voip");
    expect(failure.message).not.toContain("chat,");
    // The default request narrows to what the policy allows.
    expect((await api.call<Issued>(limited, "acs.token.issue")).scopes).toEqual(["chat"]);
  });

  it.each([59, 1441, 90.5])(
    "refuses expiresInMinutes %s with BAD_REQUEST and the zod message",
    async (minutes) => {
      const failure = await failureOf(
        api.call(user, "acs.token.issue", { expiresInMinutes: minutes }),
      );
      expect(failure.code).toBe("BAD_REQUEST");
      expect(failure.message).toContain("expiresInMinutes");
      expect(failure.message).toMatch(
        minutes === 90.5 ? /expected int/ : minutes < 60 ? />=60/ : /<=1440/,
      );
      if (failure.httpStatus !== undefined) {
        expect(failure.httpStatus).toBe(400);
        expect(failure.zodError).toMatchObject({
          fieldErrors: { expiresInMinutes: [expect.any(String)] },
        });
      }
    },
  );

  it("refuses unknown scopes and presence alone with BAD_REQUEST", async () => {
    expect((await failureOf(api.call(user, "acs.token.issue", { scopes: ["bogus"] }))).code).toBe(
      "BAD_REQUEST",
    );
    const presenceOnly = await failureOf(
      api.call(user, "acs.token.issue", { scopes: ["presence"] }),
    );
    expect(presenceOnly.code).toBe("BAD_REQUEST");
    expect(presenceOnly.message).toMatch(/at least one ACS scope/);
    expect((await failureOf(api.call(user, "acs.directory.search", { query: "" }))).code).toBe(
      "BAD_REQUEST",
    );
  });

  it("limits token issuance per user with TOO_MANY_REQUESTS and when to retry", async () => {
    const limitedServices = await createAcsServices({
      env: readServerEnv({}),
      database,
      gateway: acs.gateway,
      tokenRateLimitPerMinute: 2,
    });
    const limitedApi = makeTransport(limitedServices);
    const eager = await createTestUser(database, "Eager");
    await limitedApi.call(eager, "acs.token.issue");
    await limitedApi.call(eager, "acs.token.refresh");
    const failure = await failureOf(limitedApi.call(eager, "acs.token.issue"));
    expect(failure.code).toBe("TOO_MANY_REQUESTS");
    expect(failure.message).toMatch(/retry in \d+ s/);
    expect(failure.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(failure.retryAfterSeconds).toBeLessThanOrEqual(60);
    if (failure.httpStatus !== undefined) expect(failure.httpStatus).toBe(429);
    // Another user is not affected.
    await limitedApi.call(await createTestUser(database, "Calm"), "acs.token.issue");
    await limitedServices.close();
  });
});
