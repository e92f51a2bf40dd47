// The jwt callback's decision on acs-server's real SessionStore (in-memory PGlite): a token counts
// only while its session row is live.
import {
  createDatabase,
  createSessionStore,
  createUserStore,
  type Database,
  type SessionStore,
} from "@acs-stack/acs-server";
import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveSessionToken } from "./session-token";

let database: Database;
let sessions: SessionStore;

beforeAll(async () => {
  database = await createDatabase({ memory: true });
  sessions = createSessionStore(database);
});
afterAll(async () => {
  await database.close();
});

async function newUser(name: string) {
  return createUserStore(database).createUser({
    email: `${name}.${Math.random().toString(36).slice(2)}@example.test`,
    displayName: name,
    passwordHash: null,
  });
}

describe("resolveSessionToken", () => {
  it("starts a session row at sign-in and keeps the token while the row is live", async () => {
    const user = await newUser("ada");
    const token = await resolveSessionToken({ name: "Ada" }, { userId: user.id }, sessions);
    expect(token).toMatchObject({ sub: user.id, name: "Ada" });
    expect(token?.sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(await sessions.isActive(token!.sid!, user.id)).toBe(true);
    expect(await resolveSessionToken(token!, undefined, sessions)).toEqual(token);
  });

  it("drops the token once its session is ended, and only that one", async () => {
    const user = await newUser("bob");
    const laptop = (await resolveSessionToken({}, { userId: user.id }, sessions))!;
    const phone = (await resolveSessionToken({}, { userId: user.id }, sessions))!;
    await sessions.end(laptop.sid!);
    expect(await resolveSessionToken(laptop, undefined, sessions)).toBeNull();
    expect(await resolveSessionToken(phone, undefined, sessions)).toEqual(phone);
  });

  it("drops every token of the user after ending all sessions; a later sign-in lives", async () => {
    const user = await newUser("cy");
    const tokens = await Promise.all(
      [1, 2].map(() => resolveSessionToken({}, { userId: user.id }, sessions)),
    );
    await sessions.endAllOf(user.id);
    for (const token of tokens)
      expect(await resolveSessionToken(token!, undefined, sessions)).toBeNull();
    const fresh = (await resolveSessionToken({}, { userId: user.id }, sessions))!;
    expect(await resolveSessionToken(fresh, undefined, sessions)).toEqual(fresh);
  });

  it.each<[string, (userId: string, sid: string) => JWT]>([
    ["no session id (a token from before sessions had rows)", (userId) => ({ sub: userId })],
    [
      "an unknown session id",
      (userId) => ({ sub: userId, sid: "00000000-0000-4000-8000-000000000000" }),
    ],
    ["no user", (_userId, sid) => ({ sid })],
    ["another user's session id", (_userId, sid) => ({ sub: "someone-else", sid })],
  ])("drops a token with %s", async (_what, make) => {
    const user = await newUser("dee");
    const live = (await resolveSessionToken({}, { userId: user.id }, sessions))!;
    expect(await resolveSessionToken(make(user.id, live.sid!), undefined, sessions)).toBeNull();
  });
});
