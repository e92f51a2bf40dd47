// Teams users' Entra tokens on a real database (in-memory PGlite): kept per app user, sealed (the
// table holds no token in clear), bound to their user and to AUTH_SECRET, removed with the user.
import {
  createDatabase,
  createUserStore,
  type Database,
  type UserStore,
} from "@acs-stack/acs-server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEntraTokenStore, type EntraTokens } from "./token-store";

let database: Database;
let users: UserStore;

beforeAll(async () => {
  database = await createDatabase({ memory: true });
  users = createUserStore(database);
}, 60_000);
afterAll(() => database.close());

const tokens = (accessToken: string): EntraTokens => ({
  objectId: "7c1f3a52-0000-4000-8000-000000000001",
  tenantId: "00000000-0000-0000-0000-00000000e417",
  accessToken,
  refreshToken: `refresh-of-${accessToken}`,
  expiresAt: new Date("2030-01-01T00:00:00.000Z"),
});

const newUser = (name: string) =>
  users.createUser({ email: null, displayName: name, passwordHash: null });

describe("Entra token store", () => {
  it("keeps one row per user, replaced by the next sign-in", async () => {
    const store = await createEntraTokenStore(database, "secret-one");
    const ada = await newUser("Ada");
    expect(await store.get(ada.id)).toBeNull();
    await store.save(ada.id, tokens("first-access-token"));
    await store.save(ada.id, tokens("second-access-token"));
    expect(await store.get(ada.id)).toEqual(tokens("second-access-token"));
  });

  it("stores no token in clear", async () => {
    const store = await createEntraTokenStore(database, "secret-one");
    const ada = await newUser("Ada");
    await store.save(ada.id, tokens("eyJ-clear-access-token"));
    const result: unknown = await database.orm.execute(
      sql`select * from web_entra_tokens where user_id = ${ada.id}`,
    );
    const dump = JSON.stringify((result as { rows: unknown[] }).rows);
    expect(dump).toContain(ada.id);
    expect(dump).not.toContain("eyJ-clear-access-token");
    expect(dump).not.toContain("refresh-of-");
  });

  it("gives nothing for a row moved to another user, or under another AUTH_SECRET", async () => {
    const store = await createEntraTokenStore(database, "secret-one");
    const [ada, eve] = [await newUser("Ada"), await newUser("Eve")];
    await store.save(ada.id, tokens("ada-access-token"));
    await store.save(eve.id, tokens("eve-access-token"));
    await database.orm.execute(sql`update web_entra_tokens set sealed =
      (select sealed from web_entra_tokens where user_id = ${ada.id}) where user_id = ${eve.id}`);
    expect(await store.get(eve.id)).toBeNull();
    const rotated = await createEntraTokenStore(database, "secret-two");
    expect(await rotated.get(ada.id)).toBeNull();
    expect(await store.get(ada.id)).toEqual(tokens("ada-access-token"));
  });

  it("removes a user's tokens, and they go with the user", async () => {
    const store = await createEntraTokenStore(database, "secret-one");
    const [ada, bob] = [await newUser("Ada"), await newUser("Bob")];
    await store.save(ada.id, tokens("ada-access-token"));
    await store.save(bob.id, tokens("bob-access-token"));
    await store.remove(ada.id);
    expect(await store.get(ada.id)).toBeNull();
    await database.orm.execute(sql`delete from app_users where id = ${bob.id}`);
    expect(await store.get(bob.id)).toBeNull();
  });
});
