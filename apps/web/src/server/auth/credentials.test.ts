// The sign-in rules against acs-server's real UserStore on an in-memory PGlite.
import { createDatabase, createUserStore, type Database, type UserStore } from "@acs-stack/acs-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeWithPassword, registerAccount, SignInRefused } from "./credentials";

let database: Database;
let store: UserStore;

beforeAll(async () => {
  database = await createDatabase({ memory: true });
  store = createUserStore(database, { maxFailures: 3, lockMinutes: 10, windowMinutes: 10 });
});
afterAll(async () => {
  await database.close();
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SignInRefused) return error.code;
    throw error;
  }
  throw new Error("expected the sign-in to be refused");
}

describe("sign-up", () => {
  it("creates an account with a hashed password and signs in with it", async () => {
    const result = await registerAccount(store, {
      email: " Ada@Example.com ",
      password: "analytical engine 1843",
      displayName: "Ada",
    });
    expect(result).toMatchObject({ ok: true, user: { email: "ada@example.com", displayName: "Ada" } });
    const stored = await store.findByEmail("ada@example.com");
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    expect(stored?.passwordHash).not.toContain("analytical");

    const user = await authorizeWithPassword(store, { email: "ADA@example.com", password: "analytical engine 1843" });
    expect(user.id).toBe(stored?.id);
  });

  it("refuses a taken email, a weak password and a missing name with a message each", async () => {
    await registerAccount(store, { email: "grace@example.com", password: "compiler pioneer", displayName: "Grace" });
    const taken = await registerAccount(store, { email: "GRACE@example.com", password: "another good one", displayName: "G" });
    expect(taken).toMatchObject({ ok: false, field: "email" });
    expect(!taken.ok && taken.message).toMatch(/already exists/);

    const weak = await registerAccount(store, { email: "linus@example.com", password: "short", displayName: "Linus" });
    expect(weak).toMatchObject({ ok: false, field: "password" });
    expect(!weak.ok && weak.message).toMatch(/at least 10/);

    const noName = await registerAccount(store, { email: "x@example.com", password: "long enough pw", displayName: "  " });
    expect(noName).toMatchObject({ ok: false, field: "displayName" });

    const badEmail = await registerAccount(store, { email: "not-an-email", password: "long enough pw", displayName: "X" });
    expect(badEmail).toMatchObject({ ok: false, field: "email" });
  });
});

describe("sign-in", () => {
  it("tells an unknown email from a wrong password", async () => {
    await registerAccount(store, { email: "alan@example.com", password: "enigma machine", displayName: "Alan" });
    expect(await refusal(authorizeWithPassword(store, { email: "nobody@example.com", password: "whatever!" }))).toBe(
      "unknown-email",
    );
    expect(await refusal(authorizeWithPassword(store, { email: "alan@example.com", password: "wrong one" }))).toBe(
      "wrong-password",
    );
    expect(await refusal(authorizeWithPassword(store, { email: "", password: "" }))).toBe("invalid-input");
  });

  it("locks an email after repeated failures, even with the right password, until the lock ends", async () => {
    await registerAccount(store, { email: "edsger@example.com", password: "goto considered", displayName: "Edsger" });
    const now = new Date("2026-01-01T10:00:00Z");
    const attempt = (password: string, at = now) =>
      authorizeWithPassword(store, { email: "edsger@example.com", password }, at);

    expect(await refusal(attempt("bad 1"))).toBe("wrong-password");
    expect(await refusal(attempt("bad 2"))).toBe("wrong-password");
    expect(await refusal(attempt("bad 3"))).toBe("locked");
    expect(await refusal(attempt("goto considered"))).toBe("locked");

    const later = new Date(now.getTime() + 11 * 60_000);
    await expect(attempt("goto considered", later)).resolves.toMatchObject({ email: "edsger@example.com" });
    // A success clears the count.
    expect(await refusal(attempt("bad again", later))).toBe("wrong-password");
  });
});
