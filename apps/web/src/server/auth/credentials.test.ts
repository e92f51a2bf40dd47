// The sign-in rules against acs-server's real stores on an in-memory PGlite. verifyPassword is wrapped
// (not replaced) so the tests can count how many passwords were actually checked.
import {
  createDatabase,
  createLoginThrottle,
  createUserStore,
  type Database,
  type LoginThrottle,
  type UserStore,
} from "@acs-stack/acs-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { authorizeWithPassword, registerAccount, SignInRefused } from "./credentials";
import type * as password from "./password";
import { verifyPassword } from "./password";

vi.mock("./password", async (importOriginal) => {
  const actual = await importOriginal<typeof password>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});
const verifications = () => vi.mocked(verifyPassword).mock.calls.length;

let database: Database;
let users: UserStore;
let throttle: LoginThrottle;

beforeAll(async () => {
  database = await createDatabase({ memory: true });
  users = createUserStore(database);
  throttle = createLoginThrottle(database, { maxFailures: 5, lockMinutes: 15, windowMinutes: 15 });
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => {
  vi.mocked(verifyPassword).mockClear();
});

const CLIENT = "198.51.100.7";
const signIn = (input: unknown, client = CLIENT, now?: Date) =>
  authorizeWithPassword({ users, throttle }, input, client, now);

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
    const result = await registerAccount(users, {
      email: " Ada@Example.com ",
      password: "analytical engine 1843",
      displayName: "Ada",
    });
    expect(result).toMatchObject({
      ok: true,
      user: { email: "ada@example.com", displayName: "Ada" },
    });
    const stored = await users.findByEmail("ada@example.com");
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    expect(stored?.passwordHash).not.toContain("analytical");

    const user = await signIn({ email: "ADA@example.com", password: "analytical engine 1843" });
    expect(user.id).toBe(stored?.id);
  });

  it("refuses a taken email, a weak password and a missing name with a message each", async () => {
    await registerAccount(users, {
      email: "grace@example.com",
      password: "compiler pioneer",
      displayName: "Grace",
    });
    const taken = await registerAccount(users, {
      email: "GRACE@example.com",
      password: "another good one",
      displayName: "G",
    });
    expect(taken).toMatchObject({ ok: false, field: "email" });
    expect(!taken.ok && taken.message).toMatch(/already exists/);

    const weak = await registerAccount(users, {
      email: "linus@example.com",
      password: "short",
      displayName: "Linus",
    });
    expect(weak).toMatchObject({ ok: false, field: "password" });
    expect(!weak.ok && weak.message).toMatch(/at least 10/);

    const noName = await registerAccount(users, {
      email: "x@example.com",
      password: "long enough pw",
      displayName: "  ",
    });
    expect(noName).toMatchObject({ ok: false, field: "displayName" });

    const badEmail = await registerAccount(users, {
      email: "not-an-email",
      password: "long enough pw",
      displayName: "X",
    });
    expect(badEmail).toMatchObject({ ok: false, field: "email" });
  });

  it.each([
    ["NUL", "Eve\u0000"],
    ["a tab", "Eve\tAdmin"],
    ["a newline", "Eve\nAdmin"],
    ["escape", "Eve\u001b[31m"],
    ["DEL", "Eve\u007f"],
    ["a right-to-left override", "Eve\u202Enimda"],
    ["a left-to-right embedding", "\u202AEve"],
    ["a first-strong isolate", "Eve\u2068"],
    ["a pop-directional isolate", "Eve\u2069"],
  ])("refuses a display name with %s, saying why", async (_what, displayName) => {
    const result = await registerAccount(users, {
      email: `name.${Math.random().toString(36).slice(2)}@example.com`,
      password: "long enough pw",
      displayName,
    });
    expect(result).toEqual({
      ok: false,
      field: "displayName",
      message: "The display name cannot contain control or text-direction characters.",
    });
  });

  it("keeps names in other scripts and with emoji", async () => {
    const result = await registerAccount(users, {
      email: "zoe@example.com",
      password: "long enough pw",
      displayName: "Zoë 李 ☕",
    });
    expect(result).toMatchObject({ ok: true, user: { displayName: "Zoë 李 ☕" } });
  });
});

describe("sign-in", () => {
  it("answers an unknown email and a wrong password alike, after checking a password in both cases", async () => {
    await registerAccount(users, {
      email: "alan@example.com",
      password: "enigma machine",
      displayName: "Alan",
    });
    vi.mocked(verifyPassword).mockClear();
    const unknown = await refusal(signIn({ email: "nobody@example.com", password: "whatever!" }));
    expect(verifications()).toBe(1);
    const wrong = await refusal(signIn({ email: "alan@example.com", password: "wrong one" }));
    expect(verifications()).toBe(2);
    expect(unknown).toBe("invalid-credentials");
    expect(wrong).toBe(unknown);
    expect(await refusal(signIn({ email: "", password: "" }))).toBe("invalid-input");
  });

  it("refuses a (email, client) pair after 5 failures without checking, even the right password, until the lock ends", async () => {
    await registerAccount(users, {
      email: "edsger@example.com",
      password: "goto considered",
      displayName: "Edsger",
    });
    const now = new Date("2026-01-01T10:00:00Z");
    const attempt = (password: string, at = now, client = CLIENT) =>
      signIn({ email: "edsger@example.com", password }, client, at);
    vi.mocked(verifyPassword).mockClear();

    for (let i = 1; i <= 5; i++)
      expect(await refusal(attempt(`bad ${i}`))).toBe("invalid-credentials");
    expect(verifications()).toBe(5);
    expect(await refusal(attempt("goto considered"))).toBe("invalid-credentials");
    expect(verifications()).toBe(5);

    // The owner on another network is not locked out by a stranger's guesses.
    await expect(attempt("goto considered", now, "192.0.2.1")).resolves.toMatchObject({
      email: "edsger@example.com",
    });

    const later = new Date(now.getTime() + 16 * 60_000);
    await expect(attempt("goto considered", later)).resolves.toMatchObject({
      email: "edsger@example.com",
    });
    // A success resets the count.
    expect(await refusal(attempt("bad again", later))).toBe("invalid-credentials");
    expect(verifications()).toBe(8);
  });

  it("checks exactly 5 of 30 parallel guesses from one client", async () => {
    await registerAccount(users, {
      email: "barbara@example.com",
      password: "liskov substitution",
      displayName: "Barbara",
    });
    vi.mocked(verifyPassword).mockClear();
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        refusal(signIn({ email: "barbara@example.com", password: `guess ${i}` })),
      ),
    );
    expect(new Set(outcomes)).toEqual(new Set(["invalid-credentials"]));
    expect(verifications()).toBe(5);
  });
});
