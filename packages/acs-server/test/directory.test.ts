// Attacks on the directory (issue items 6 and 7): listing every account with a short query, creating
// ACS identities for whoever a search shows, and gaining presence visibility by searching. Real
// emulator over HTTPS, real PGlite; the clock is injected so rate-limit windows are deterministic.
import { randomUUID } from "node:crypto";

import { TRPCError } from "@trpc/server";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../src/db";
import { createDatabase } from "../src/db";
import { createEmailTokenStore } from "../src/db/email-tokens";
import { acsIdentities, presenceVisibility } from "../src/db/schema";
import { createUserStore } from "../src/db/users";
import { readServerEnv } from "../src/env";
import { acsServerRouter } from "../src/root";
import type { AcsServices } from "../src/services";
import { createAcsServices } from "../src/services";
import type { SessionUser } from "../src/contract";
import { createCallerFactory, createTRPCContext } from "../src/trpc";
import type { TestAcs } from "./helpers/emulator";
import { startTestAcs } from "./helpers/emulator";
import { manualClock, readWatch } from "./helpers/presence";
import { failureOf, httpTransport } from "./helpers/transports";
import { createTestUser } from "./helpers/users";

const createCaller = createCallerFactory(acsServerRouter);
const SEARCHES_PER_MINUTE = 5;

let acs: TestAcs;
let database: Database;
let services: AcsServices;
const clock = manualClock(Date.parse("2026-01-01T00:00:00Z"));

beforeAll(async () => {
  [acs, database] = await Promise.all([startTestAcs(), createDatabase({ memory: true })]);
  services = await createAcsServices({
    env: readServerEnv({}),
    database,
    gateway: acs.gateway,
    now: clock.now,
    presence: { sweepIntervalMs: 0 },
    callLimitsPerMinute: { directorySearch: SEARCHES_PER_MINUTE },
  });
});

afterAll(async () => {
  await services?.close();
  await database?.close();
  await acs?.close();
});

const api = (user: SessionUser | null) => createCaller(createTRPCContext({ user, services })).acs;

/** The code of a failed watch (its checks run before the stream is returned). */
async function watchFailure(viewer: SessionUser, subject: SessionUser): Promise<string> {
  try {
    await api(viewer).presence.watch({ userIds: [subject.id] });
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return "OK";
}

describe("directory.search", () => {
  it('does not list every account: "@", a domain or part of an address finds nobody', async () => {
    const caller = await createTestUser(database, "Prober");
    const victim = await createTestUser(database, "Victim");
    for (const query of [
      "@example.test",
      "example.test",
      victim.email!.slice(2),
      victim.email!.split("@")[0]!,
    ]) {
      expect({ query, found: await api(caller).directory.search({ query }) }).toEqual({
        query,
        found: [],
      });
    }
    const tooShort = await failureOf(
      httpTransport(services).call(caller, "acs.directory.search", { query: "@" }),
    );
    expect(tooShort.code).toBe("BAD_REQUEST");
    expect(tooShort.message).toContain("query");
  });

  it("creates no ACS identity and returns no ACS id for the people it finds", async () => {
    const caller = await createTestUser(database, "Looker");
    const found = await createTestUser(database, "Unmapped");
    const results = await api(caller).directory.search({ query: found.email! });
    expect(results).toEqual([{ userId: found.id, displayName: found.name }]);
    const identities = await database.orm
      .select()
      .from(acsIdentities)
      .where(eq(acsIdentities.userId, found.id));
    expect(identities).toEqual([]);
  });

  it("grants no presence visibility either way: watching after a search is FORBIDDEN", async () => {
    const [seeker, sought] = [
      await createTestUser(database, "Seeker"),
      await createTestUser(database, "Sought"),
    ];
    await Promise.all([api(seeker).token.issue({}), api(sought).token.issue({})]);
    expect(await api(seeker).directory.search({ query: sought.email! })).toHaveLength(1);
    expect(await watchFailure(seeker, sought)).toBe("FORBIDDEN");
    expect(await watchFailure(sought, seeker)).toBe("FORBIDDEN");
    // Rows a search wrote before this fix grant nothing any more.
    await database.orm
      .insert(presenceVisibility)
      .values({ viewerId: seeker.id, subjectId: sought.id, reason: "directory" });
    expect(await watchFailure(seeker, sought)).toBe("FORBIDDEN");
  });

  it("does not find an account whose email is unconfirmed, by address or by name, until it is confirmed", async () => {
    const caller = await createTestUser(database, "Finder");
    const users = createUserStore(database);
    const squatter = await users.createUser({
      email: `ceo.${randomUUID()}@example.test`,
      displayName: `Unconfirmed ${randomUUID().slice(0, 8)}`,
      passwordHash: null,
      emailVerifiedAt: null,
    });
    const searches = [squatter.email!, squatter.displayName];
    for (const query of searches) expect(await api(caller).directory.search({ query })).toEqual([]);
    // Nor can anyone put it in a chat by its id.
    const failure = await failureOf(
      httpTransport(services).call(caller, "acs.directory.addToChat", { userIds: [squatter.id] }),
    );
    expect(failure.code).toBe("NOT_FOUND");

    const tokens = createEmailTokenStore(database);
    const { token } = await tokens.issue(squatter.id, "verify-email");
    expect(await tokens.confirmEmail(token, squatter.id)).toBe(true);
    for (const query of searches)
      expect(await api(caller).directory.search({ query })).toEqual([
        { userId: squatter.id, displayName: squatter.displayName },
      ]);
  });

  it("is rate-limited per user with TOO_MANY_REQUESTS and when to retry", async () => {
    const [eager, calm] = [
      await createTestUser(database, "Eager"),
      await createTestUser(database, "Calm"),
    ];
    const http = httpTransport(services);
    for (let i = 0; i < SEARCHES_PER_MINUTE; i++)
      await http.call(eager, "acs.directory.search", { query: "Zz" });
    const refused = await failureOf(http.call(eager, "acs.directory.search", { query: "Zz" }));
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429 });
    expect(refused.message).toMatch(/Too many directory searches; retry in \d+ s/);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another user is not affected; the next minute the caller may search again.
    await http.call(calm, "acs.directory.search", { query: "Zz" });
    clock.advance(60_000);
    await http.call(eager, "acs.directory.search", { query: "Zz" });
  });
});

describe("directory.addToChat", () => {
  it("refuses a stale session (a user that no longer exists) with UNAUTHORIZED, recording nothing", async () => {
    const friend = await createTestUser(database, "Friend");
    const failure = await failureOf(
      httpTransport(services).call({ id: "deleted-account" }, "acs.directory.addToChat", {
        userIds: [friend.id],
      }),
    );
    expect(failure).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401 });
    expect(
      await database.orm
        .select()
        .from(presenceVisibility)
        .where(eq(presenceVisibility.subjectId, friend.id)),
    ).toEqual([]);
  });

  it("creates the identities and lets the caller and each added person see each other, nobody else", async () => {
    const [host, guest, other] = [
      await createTestUser(database, "Host"),
      await createTestUser(database, "Guest"),
      await createTestUser(database, "Other"),
    ];
    await Promise.all([host, guest, other].map((u) => api(u).token.issue({})));
    const [member] = await api(host).directory.addToChat({ userIds: [guest.id] });
    const rows = await database.orm
      .select({ acsUserId: acsIdentities.acsUserId })
      .from(acsIdentities)
      .where(inArray(acsIdentities.userId, [guest.id]));
    expect(rows).toEqual([{ acsUserId: member!.acsUserId }]);
    expect(await watchFailure(other, guest)).toBe("FORBIDDEN");
    const hostsView = readWatch(await api(host).presence.watch({ userIds: [guest.id] }));
    const guestsView = readWatch(await api(guest).presence.watch({ userIds: [host.id] }));
    expect(await hostsView.next()).toMatchObject({ userId: guest.id });
    expect(await guestsView.next()).toMatchObject({ userId: host.id });
    await Promise.all([hostsView.stop(), guestsView.stop()]);
  });
});
