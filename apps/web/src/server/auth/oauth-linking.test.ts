// OAuth sign-ins never take over an account: the decision with provider profiles (verified,
// unverified, missing email), then applied on acs-server's real UserStore (in-memory PGlite).
import {
  createDatabase,
  createUserStore,
  type Database,
  type UserStore,
} from "@acs-stack/acs-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUserForOAuthSignIn, decideOAuthSignIn, emailAssertion } from "./oauth-linking";

describe("emailAssertion", () => {
  it.each([
    [
      "github",
      { email: "ada@example.com", verified_primary_email: "ada@example.com" },
      { email: "ada@example.com", verified: true },
    ],
    [
      "github",
      { email: "Ada@Example.com", verified_primary_email: null },
      { email: "ada@example.com", verified: false },
    ],
    ["github", { email: null }, { email: null, verified: false }],
    [
      "microsoft-entra-id",
      { email: "ada@contoso.com", xms_edov: true },
      { email: "ada@contoso.com", verified: true },
    ],
    [
      "microsoft-entra-id",
      { email: "ada@contoso.com", xms_edov: "1" },
      { email: "ada@contoso.com", verified: true },
    ],
    [
      "microsoft-entra-id",
      { email: "ada@contoso.com", verified_primary_email: ["ADA@contoso.com"] },
      { email: "ada@contoso.com", verified: true },
    ],
    [
      "microsoft-entra-id",
      { email: "ada@contoso.com" },
      { email: "ada@contoso.com", verified: false },
    ],
    [
      "microsoft-entra-id",
      { email: "ada@contoso.com", xms_edov: false },
      { email: "ada@contoso.com", verified: false },
    ],
    [
      "microsoft-entra-id",
      { preferred_username: "ada@contoso.com" },
      { email: null, verified: false },
    ],
    ["microsoft-entra-id", undefined, { email: null, verified: false }],
    [
      "oidc",
      { email: "ada@example.com", email_verified: true },
      { email: "ada@example.com", verified: true },
    ],
    [
      "oidc",
      { email: "ada@example.com", email_verified: "false" },
      { email: "ada@example.com", verified: false },
    ],
  ])("%s %j → %j", (provider, profile, expected) => {
    expect(emailAssertion(provider, profile)).toEqual(expected);
  });
});

describe("decideOAuthSignIn", () => {
  it("uses an existing link whatever the email says", () => {
    expect(
      decideOAuthSignIn({
        linkedUserId: "u1",
        assertion: { email: "x@example.com", verified: true },
        emailOwnerId: "u2",
      }),
    ).toEqual({ kind: "linked", userId: "u1" });
  });
  it("links to the owner of a vouched-for email", () => {
    expect(
      decideOAuthSignIn({
        linkedUserId: null,
        assertion: { email: "x@example.com", verified: true },
        emailOwnerId: "u2",
      }),
    ).toEqual({ kind: "link-by-verified-email", userId: "u2" });
  });
  it("makes a new user with a vouched-for email nobody has", () => {
    expect(
      decideOAuthSignIn({
        linkedUserId: null,
        assertion: { email: "x@example.com", verified: true },
        emailOwnerId: null,
      }),
    ).toEqual({ kind: "new-user", email: "x@example.com" });
  });
  it("never links by an unverified email: a new user without the email", () => {
    expect(
      decideOAuthSignIn({
        linkedUserId: null,
        assertion: { email: "x@example.com", verified: false },
        emailOwnerId: "u2",
      }),
    ).toEqual({ kind: "new-user", email: null });
  });
  it("makes a new user without email when the provider shares none", () => {
    expect(
      decideOAuthSignIn({
        linkedUserId: null,
        assertion: { email: null, verified: false },
        emailOwnerId: null,
      }),
    ).toEqual({
      kind: "new-user",
      email: null,
    });
  });
});

describe("appUserForOAuthSignIn", () => {
  let database: Database;
  let users: UserStore;
  beforeAll(async () => {
    database = await createDatabase({ memory: true });
    users = createUserStore(database);
  });
  afterAll(async () => {
    await database.close();
  });

  it("an unverified email of a password account gets its own account, and keeps it on the next sign-in", async () => {
    const victim = await users.createUser({
      email: "victim@example.com",
      displayName: "Victim",
      passwordHash: "scrypt$x",
    });
    const account = { provider: "microsoft-entra-id", providerAccountId: "attacker-sub" };
    const first = await appUserForOAuthSignIn(
      users,
      account,
      { email: "victim@example.com" },
      "Mallory",
    );
    expect(first.id).not.toBe(victim.id);
    expect(first.email).toBeNull();
    // Even once the tenant later marks the email verified, the existing link decides.
    const again = await appUserForOAuthSignIn(
      users,
      account,
      { email: "victim@example.com", xms_edov: true },
      "Mallory",
    );
    expect(again.id).toBe(first.id);
  });

  it("a verified GitHub primary email links to the password account of that email", async () => {
    const owner = await users.createUser({
      email: "grace@example.com",
      displayName: "Grace",
      passwordHash: "scrypt$x",
    });
    const account = { provider: "github", providerAccountId: "1815" };
    const user = await appUserForOAuthSignIn(
      users,
      account,
      { email: "grace@example.com", verified_primary_email: "grace@example.com" },
      "Grace H",
    );
    expect(user.id).toBe(owner.id);
    expect(await users.listProviderAccounts(owner.id)).toMatchObject([
      { ...account, emailVerified: true },
    ]);
  });

  it("no email at all: a new account with the provider's name", async () => {
    const user = await appUserForOAuthSignIn(
      users,
      { provider: "github", providerAccountId: "42" },
      { email: null },
      "Octocat",
    );
    expect(user).toMatchObject({ email: null, displayName: "Octocat" });
  });
});
