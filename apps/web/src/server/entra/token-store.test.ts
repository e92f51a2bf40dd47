// Teams users' Entra tokens on a real database (in-memory PGlite) through acs-server's
// EntraTokenStore: kept per app user, sealed (the store holds no token in clear), bound to their user
// and to AUTH_SECRET, removed with the user.
import {
  createDatabase,
  createEntraTokenStore,
  createUserStore,
  type Database,
  type EntraTokenStore,
  type UserStore,
} from "@acs-stack/acs-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEntraTokenVault, type EntraTokens } from "./token-store";

let database: Database;
let users: UserStore;
let store: EntraTokenStore;

beforeAll(async () => {
  database = await createDatabase({ memory: true });
  users = createUserStore(database);
  store = createEntraTokenStore(database);
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

describe("Entra token vault", () => {
  it("keeps one row per user, replaced by the next sign-in", async () => {
    const vault = createEntraTokenVault(store, "secret-one");
    const ada = await newUser("Ada");
    expect(await vault.get(ada.id)).toBeNull();
    await vault.save(ada.id, tokens("first-access-token"));
    await vault.save(ada.id, tokens("second-access-token"));
    expect(await vault.get(ada.id)).toEqual(tokens("second-access-token"));
  });

  it("stores no token in clear", async () => {
    const vault = createEntraTokenVault(store, "secret-one");
    const ada = await newUser("Ada");
    await vault.save(ada.id, tokens("eyJ-clear-access-token"));
    const stored = JSON.stringify(await store.get(ada.id));
    expect(stored).toContain(tokens("").objectId);
    expect(stored).not.toContain("eyJ-clear-access-token");
    expect(stored).not.toContain("refresh-of-");
  });

  it("gives nothing for a row moved to another user, or under another AUTH_SECRET", async () => {
    const vault = createEntraTokenVault(store, "secret-one");
    const [ada, eve] = [await newUser("Ada"), await newUser("Eve")];
    await vault.save(ada.id, tokens("ada-access-token"));
    await vault.save(eve.id, tokens("eve-access-token"));
    // Eve's row gets Ada's sealed tokens (a database write an attacker might manage).
    const adaRow = await store.get(ada.id);
    expect(adaRow).not.toBeNull();
    await store.save(eve.id, adaRow!);
    expect(await vault.get(eve.id)).toBeNull();
    const rotated = createEntraTokenVault(store, "secret-two");
    expect(await rotated.get(ada.id)).toBeNull();
    expect(await vault.get(ada.id)).toEqual(tokens("ada-access-token"));
  });

  it("removes a user's tokens, and they go with the user", async () => {
    const vault = createEntraTokenVault(store, "secret-one");
    const [ada, bob] = [await newUser("Ada"), await newUser("Bob")];
    await vault.save(ada.id, tokens("ada-access-token"));
    await vault.save(bob.id, tokens("bob-access-token"));
    await vault.remove(ada.id);
    expect(await vault.get(ada.id)).toBeNull();
    expect(await vault.get(bob.id)).toEqual(tokens("bob-access-token"));
    await users.deleteUser(bob.id);
    expect(await store.get(bob.id)).toBeNull();
  });
});
