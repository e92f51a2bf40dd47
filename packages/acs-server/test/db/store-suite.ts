// The store suite, run once against PGlite and once against a real PostgreSQL server.
import { createHash, randomUUID } from "node:crypto";

import { eq, sql } from "drizzle-orm";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../../src/db";
import { createGrantRepository } from "../../src/db/grants";
import { createIdentityRepository } from "../../src/db/identities";
import { createTokenRateLimiter } from "../../src/db/rate-limits";
import { createLoginThrottle } from "../../src/db/login-throttle";
import { createEmailTokenStore } from "../../src/db/email-tokens";
import { emailTokens } from "../../src/db/schema";
import { createMailSendLimit } from "../../src/domain/mail-limits";
import { createSessionStore } from "../../src/db/sessions";
import { EmailTakenError, ProviderAccountTakenError, createUserStore } from "../../src/db/users";
import { pgErrorCode } from "../../src/errors";
import { createTestUser } from "../helpers/users";
import { describeEntraTokenStore } from "./entra-token-suite";

export function describeStoreSuite(driverName: string, open: () => Promise<Database>) {
  describe(`stores on ${driverName}`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await open();
    });
    afterAll(async () => {
      await database?.close();
    });

    it(`opens the ${driverName} driver with migrations applied, and answers a ping`, async () => {
      expect(database.driver).toBe(driverName);
      await expect(database.ping()).resolves.toBeUndefined();
    });

    describeEntraTokenStore(() => database);

    describe("UserStore", () => {
      it("creates users, finds them case-insensitively and refuses a taken email", async () => {
        const users = createUserStore(database);
        const email = `Ada.${randomUUID()}@Example.test`;
        const created = await users.createUser({
          email,
          displayName: " Ada ",
          passwordHash: "scrypt$x",
        });
        expect(created.email).toBe(email.toLowerCase());
        expect(created.displayName).toBe("Ada");
        expect(await users.findByEmail(email.toUpperCase())).toEqual(created);
        expect(await users.findById(created.id)).toEqual(created);
        expect(await users.findById(randomUUID())).toBeUndefined();
        await expect(
          users.createUser({
            email: email.toUpperCase(),
            displayName: "Other",
            passwordHash: null,
          }),
        ).rejects.toBeInstanceOf(EmailTakenError);
      });

      it("lets exactly one of concurrent sign-ups with the same email win", async () => {
        const users = createUserStore(database);
        const email = `race.${randomUUID()}@example.test`;
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            users.createUser({ email, displayName: `R${i}`, passwordHash: null }),
          ),
        );
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        for (const r of results) {
          if (r.status === "rejected") expect(r.reason).toBeInstanceOf(EmailTakenError);
        }
      });

      it("links a provider account to one user only, and finds the user by it", async () => {
        const users = createUserStore(database);
        const owner = await users.createUser({
          email: `own.${randomUUID()}@example.test`,
          displayName: "Own",
          passwordHash: null,
        });
        const other = await users.createUser({
          email: null,
          displayName: "Other",
          passwordHash: null,
        });
        expect(other.email).toBeNull();
        const account = { provider: "github", providerAccountId: randomUUID() };
        expect(await users.findByProviderAccount(account)).toBeUndefined();

        const linked = await users.linkProviderAccount({
          ...account,
          userId: owner.id,
          email: "Own@X.test",
          emailVerified: true,
        });
        expect(linked).toMatchObject({
          ...account,
          userId: owner.id,
          email: "own@x.test",
          emailVerified: true,
        });
        // Linking again to the same user is a no-op; to anyone else it is refused (never moved).
        await users.linkProviderAccount({
          ...account,
          userId: owner.id,
          email: null,
          emailVerified: false,
        });
        await expect(
          users.linkProviderAccount({
            ...account,
            userId: other.id,
            email: null,
            emailVerified: false,
          }),
        ).rejects.toBeInstanceOf(ProviderAccountTakenError);
        expect((await users.findByProviderAccount(account))?.id).toBe(owner.id);
        expect(await users.listProviderAccounts(owner.id)).toHaveLength(1);
        expect(await users.listProviderAccounts(other.id)).toEqual([]);
      });

      it("changes one user's display name (trimmed) and no one else's", async () => {
        const users = createUserStore(database);
        const ada = await createTestUser(database, "ada");
        const other = await createTestUser(database, "other");
        const updated = await users.updateDisplayName(ada.id, "  Ada Lovelace ");
        expect(updated).toMatchObject({
          id: ada.id,
          email: ada.email,
          displayName: "Ada Lovelace",
        });
        expect((await users.findById(ada.id))?.displayName).toBe("Ada Lovelace");
        expect((await users.findById(other.id))?.displayName).toBe(other.name);
        expect(await users.updateDisplayName(randomUUID(), "Nobody")).toBeUndefined();
      });
    });

    describe("EmailTokenStore", () => {
      const unconfirmed = (users: ReturnType<typeof createUserStore>) =>
        users.createUser({
          email: `new.${randomUUID()}@example.test`,
          displayName: "New",
          passwordHash: "scrypt$old",
          emailVerifiedAt: null,
        });
      const clockAt = (start: string) => {
        let ms = Date.parse(start);
        return { now: () => new Date(ms), advance: (by: number) => (ms += by) };
      };

      it("stores only the SHA-256 of a 32-byte token and confirms the email once", async () => {
        const users = createUserStore(database);
        const tokens = createEmailTokenStore(database);
        const user = await unconfirmed(users);
        expect(user.emailVerifiedAt).toBeNull();
        const { token } = await tokens.issue(user.id, "verify-email");
        expect(Buffer.from(token, "base64url")).toHaveLength(32);
        const [row] = await database.orm
          .select()
          .from(emailTokens)
          .where(eq(emailTokens.userId, user.id));
        expect(row?.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
        expect(JSON.stringify(row)).not.toContain(token);

        expect(await tokens.peek(token, "verify-email")).toBe(user.id);
        expect(await tokens.confirmEmail(token, user.id)).toBe(true);
        expect((await users.findById(user.id))?.emailVerifiedAt).toBeInstanceOf(Date);
        // Single use.
        expect(await tokens.peek(token, "verify-email")).toBeUndefined();
        expect(await tokens.confirmEmail(token, user.id)).toBe(false);
      });

      it("binds a token to its purpose and its user, and refuses malformed ones", async () => {
        const users = createUserStore(database);
        const tokens = createEmailTokenStore(database);
        const [owner, other] = [await unconfirmed(users), await unconfirmed(users)];
        const verify = await tokens.issue(owner.id, "verify-email");
        const reset = await tokens.issue(owner.id, "reset-password");
        expect(await tokens.peek(verify.token, "reset-password")).toBeUndefined();
        expect(await tokens.resetPassword(verify.token, "scrypt$evil")).toBeUndefined();
        expect(await tokens.confirmEmail(reset.token, owner.id)).toBe(false);
        expect(await tokens.confirmEmail(verify.token, other.id)).toBe(false);
        expect((await users.findById(other.id))?.emailVerifiedAt).toBeNull();
        for (const bad of ["", "x", `${verify.token}=`, "' or 1=1 --", "a".repeat(5000)])
          expect(await tokens.peek(bad, "verify-email")).toBeUndefined();
        // The refused attempts used up nothing.
        expect(await tokens.confirmEmail(verify.token, owner.id)).toBe(true);
        expect(await tokens.peek(reset.token, "reset-password")).toBe(owner.id);
      });

      it("expires a token after 30 minutes (injected clock)", async () => {
        const users = createUserStore(database);
        const clock = clockAt("2026-03-01T12:00:00Z");
        const tokens = createEmailTokenStore(database, { now: clock.now });
        const user = await unconfirmed(users);
        const { token, expiresAt } = await tokens.issue(user.id, "reset-password");
        expect(expiresAt.toISOString()).toBe("2026-03-01T12:30:00.000Z");
        clock.advance(29 * 60_000);
        expect(await tokens.peek(token, "reset-password")).toBe(user.id);
        clock.advance(60_000);
        expect(await tokens.peek(token, "reset-password")).toBeUndefined();
        expect(await tokens.resetPassword(token, "scrypt$late")).toBeUndefined();
        expect((await users.findById(user.id))?.passwordHash).toBe("scrypt$old");
      });

      it("a new link makes the earlier unused one of the same purpose stop working", async () => {
        const users = createUserStore(database);
        const tokens = createEmailTokenStore(database);
        const user = await unconfirmed(users);
        const first = await tokens.issue(user.id, "reset-password");
        const verify = await tokens.issue(user.id, "verify-email");
        const second = await tokens.issue(user.id, "reset-password");
        expect(await tokens.peek(first.token, "reset-password")).toBeUndefined();
        expect(await tokens.peek(second.token, "reset-password")).toBe(user.id);
        expect(await tokens.peek(verify.token, "verify-email")).toBe(user.id);
      });

      it("a reset sets the password, confirms the email and ends every session, once under a race", async () => {
        const users = createUserStore(database);
        const sessions = createSessionStore(database);
        const tokens = createEmailTokenStore(database);
        const user = await unconfirmed(users);
        const [a, b] = [await sessions.create(user.id), await sessions.create(user.id)];
        const { token } = await tokens.issue(user.id, "reset-password");
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) => tokens.resetPassword(token, `scrypt$new${i}`)),
        );
        const winners = results.filter((r) => r !== undefined);
        expect(winners).toEqual([{ userId: user.id, endedSessions: 2 }]);
        const after = await users.findById(user.id);
        expect(after?.passwordHash).toBe(`scrypt$new${results.findIndex((r) => r)}`);
        expect(after?.emailVerifiedAt).toBeInstanceOf(Date);
        expect(await sessions.isActive(a.id, user.id)).toBe(false);
        expect(await sessions.isActive(b.id, user.id)).toBe(false);
      });

      it("replaces an unconfirmed sign-up's password and name, never a confirmed one's", async () => {
        const users = createUserStore(database);
        const tokens = createEmailTokenStore(database);
        const user = await unconfirmed(users);
        const replaced = await users.replaceUnverified(user.id, {
          displayName: " Owner ",
          passwordHash: "scrypt$owner",
        });
        expect(replaced).toMatchObject({ displayName: "Owner", passwordHash: "scrypt$owner" });
        const { token } = await tokens.issue(user.id, "verify-email");
        await tokens.confirmEmail(token, user.id);
        expect(
          await users.replaceUnverified(user.id, { displayName: "X", passwordHash: "scrypt$x" }),
        ).toBeUndefined();
        expect((await users.findById(user.id))?.passwordHash).toBe("scrypt$owner");
      });
    });

    describe("MailSendLimit", () => {
      it("limits requests per client (visible) and mails per recipient (silent), per window", async () => {
        let ms = Date.parse("2026-03-01T12:00:00Z");
        const limit = createMailSendLimit(
          database,
          { perClient: 4, perRecipient: 2 },
          () => new Date(ms),
        );
        const victim = `victim.${randomUUID()}@example.test`;
        const client = `10.0.0.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
        expect(await limit.check(victim, client)).toBe("allowed");
        expect(await limit.check(victim.toUpperCase(), client)).toBe("allowed");
        expect(await limit.check(victim, client)).toBe("recipient-limited");
        // Another client cannot mail the victim either; it may mail others.
        expect(await limit.check(victim, `${client}-b`)).toBe("recipient-limited");
        expect(await limit.check(`other.${randomUUID()}@example.test`, `${client}-b`)).toBe(
          "allowed",
        );
        expect(await limit.check(`x.${randomUUID()}@example.test`, client)).toBe("allowed");
        expect(await limit.check(`y.${randomUUID()}@example.test`, client)).toBe("client-limited");
        // The counters hold no email address.
        const rows: unknown = await database.orm.execute(
          sql`select user_id from token_rate_limits where user_id like 'mail-%'`,
        );
        expect(JSON.stringify(rows)).not.toContain("example.test");
        ms += 10 * 60_000;
        expect(await limit.check(victim, client)).toBe("allowed");
      });
    });

    describe("SessionStore", () => {
      it("ends one session without touching the user's others", async () => {
        const sessions = createSessionStore(database);
        const user = await createTestUser(database, "Sessions");
        const laptop = await sessions.create(user.id, { userAgent: "laptop" });
        const phone = await sessions.create(user.id);
        expect(await sessions.isActive(laptop.id, user.id)).toBe(true);
        await sessions.end(laptop.id);
        expect(await sessions.isActive(laptop.id, user.id)).toBe(false);
        expect(await sessions.isActive(phone.id, user.id)).toBe(true);
      });

      it("ends every session of a user, and only theirs", async () => {
        const sessions = createSessionStore(database);
        const user = await createTestUser(database, "Everywhere");
        const bystander = await createTestUser(database, "Bystander");
        const mine = await Promise.all([sessions.create(user.id), sessions.create(user.id)]);
        const theirs = await sessions.create(bystander.id);
        expect(await sessions.endAllOf(user.id)).toBe(2);
        for (const s of mine) expect(await sessions.isActive(s.id, user.id)).toBe(false);
        expect(await sessions.isActive(theirs.id, bystander.id)).toBe(true);
        // A session started after "everywhere" lives.
        const later = await sessions.create(user.id);
        expect(await sessions.isActive(later.id, user.id)).toBe(true);
      });

      it("counts a session only for its own user, and never an unknown id", async () => {
        const sessions = createSessionStore(database);
        const user = await createTestUser(database, "Owner");
        const intruder = await createTestUser(database, "Intruder");
        const session = await sessions.create(user.id);
        expect(await sessions.isActive(session.id, intruder.id)).toBe(false);
        expect(await sessions.isActive(randomUUID(), user.id)).toBe(false);
      });
    });

    describe("LoginThrottle", () => {
      const t0 = new Date("2026-01-01T10:00:00Z");
      const at = (ms: number) => new Date(t0.getTime() + ms);

      it("refuses a pair after 5 failures for 15 minutes, then for 30, and a success resets it", async () => {
        const throttle = createLoginThrottle(database, {
          maxFailures: 5,
          lockMinutes: 15,
          windowMinutes: 15,
        });
        const email = `lock.${randomUUID()}@example.test`;
        for (let i = 1; i <= 5; i++)
          expect((await throttle.reserve(email, "10.0.0.1", at(i))).allowed).toBe(true);
        const refused = await throttle.reserve(email.toUpperCase(), "10.0.0.1", at(6));
        expect(refused.allowed).toBe(false);
        expect(refused.lockedUntil?.getTime()).toBe(at(5).getTime() + 15 * 60_000);
        // Another client is not affected.
        expect((await throttle.reserve(email, "10.0.0.2", at(7))).allowed).toBe(true);

        // After the lock, five more attempts; the next lock lasts twice as long.
        const afterLock = 16 * 60_000;
        for (let i = 0; i < 5; i++)
          expect((await throttle.reserve(email, "10.0.0.1", at(afterLock + i))).allowed).toBe(true);
        const second = await throttle.reserve(email, "10.0.0.1", at(afterLock + 5));
        expect(second.allowed).toBe(false);
        expect(second.lockedUntil?.getTime()).toBe(at(afterLock + 4).getTime() + 30 * 60_000);

        await throttle.succeeded(email, "10.0.0.1");
        expect(await throttle.reserve(email, "10.0.0.1", at(afterLock + 6))).toMatchObject({
          allowed: true,
          failures: 1,
        });
      });

      it("forgets failures older than the window", async () => {
        const throttle = createLoginThrottle(database, { windowMinutes: 15 });
        const email = `stale.${randomUUID()}@example.test`;
        await throttle.reserve(email, "c", t0);
        await throttle.reserve(email, "c", t0);
        expect((await throttle.reserve(email, "c", at(16 * 60_000))).failures).toBe(1);
      });

      it("lets exactly 5 of 30 parallel attempts of one pair through", async () => {
        const throttle = createLoginThrottle(database, { maxFailures: 5 });
        const email = `burst.${randomUUID()}@example.test`;
        const now = new Date();
        const results = await Promise.all(
          Array.from({ length: 30 }, () => throttle.reserve(email, "203.0.113.9", now)),
        );
        expect(results.filter((r) => r.allowed)).toHaveLength(5);
        expect(results.map((r) => r.failures).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 30 }, (_, i) => i + 1),
        );
      });

      it("above the email's ceiling, slows clients with failures but never refuses a fresh client", async () => {
        const throttle = createLoginThrottle(database, { maxFailures: 5, emailCeiling: 6 });
        const email = `ceiling.${randomUUID()}@example.test`;
        for (const client of ["a", "b", "c"]) {
          await throttle.reserve(email, client, at(1));
          await throttle.reserve(email, client, at(2));
        }
        // Six failures across clients: "a" (two of its own) is refused, although under its own limit.
        expect((await throttle.reserve(email, "a", at(3))).allowed).toBe(false);
        // A client with no failures of its own still gets its attempt checked.
        expect((await throttle.reserve(email, "fresh", at(4))).allowed).toBe(true);
        // Another email is untouched.
        expect(
          (await throttle.reserve(`other.${randomUUID()}@example.test`, "a", at(5))).allowed,
        ).toBe(true);
      });
    });

    describe("identity mapping", () => {
      it("keeps exactly one of concurrent inserts for a user and reads the winner back", async () => {
        const repo = createIdentityRepository(database.orm);
        const user = await createTestUser(database);
        const candidates = Array.from({ length: 20 }, () => `8:acs:test_${randomUUID()}`);
        const won = await Promise.all(
          candidates.map((id) => repo.insertIfAbsent(user.id, id, new Date())),
        );
        expect(won.filter(Boolean)).toHaveLength(1);
        const winner = candidates[won.indexOf(true)];
        expect((await repo.find(user.id))?.acsUserId).toBe(winner);
        const audit = await createGrantRepository(database.orm).auditTrail(user.id);
        expect(audit.map((e) => [e.action, e.acsUserId])).toEqual([["identity.created", winner]]);
      });

      it("refuses an ACS id mapped to another user and a mapping for an unknown user", async () => {
        const repo = createIdentityRepository(database.orm);
        const [a, b] = [await createTestUser(database), await createTestUser(database)];
        const acsUserId = `8:acs:test_${randomUUID()}`;
        expect(await repo.insertIfAbsent(a.id, acsUserId, new Date())).toBe(true);
        const duplicate = await repo
          .insertIfAbsent(b.id, acsUserId, new Date())
          .catch((e: unknown) => e);
        expect(pgErrorCode(duplicate)).toBe("23505");
        const orphan = await repo
          .insertIfAbsent(randomUUID(), `8:acs:test_${randomUUID()}`, new Date())
          .catch((e: unknown) => e);
        expect(pgErrorCode(orphan)).toBe("23503");
      });

      it("marks a mapping deleting and removes only the matching row", async () => {
        const repo = createIdentityRepository(database.orm);
        const user = await createTestUser(database);
        const acsUserId = `8:acs:test_${randomUUID()}`;
        await repo.insertIfAbsent(user.id, acsUserId, new Date());
        await repo.markDeleting(user.id, acsUserId);
        expect((await repo.find(user.id))?.status).toBe("deleting");
        await repo.remove(user.id, "8:acs:someone_else");
        expect(await repo.find(user.id)).toBeDefined();
        await repo.remove(user.id, acsUserId);
        expect(await repo.find(user.id)).toBeUndefined();
      });
    });

    describe("grants and audit", () => {
      it("returns the newest grant, revokes all grants and keeps the audit trail", async () => {
        const grants = createGrantRepository(database.orm);
        const user = await createTestUser(database);
        const acsUserId = `8:acs:test_${randomUUID()}`;
        expect(await grants.current(user.id)).toBeUndefined();
        const t0 = new Date("2026-01-01T10:00:00Z");
        await grants.record(
          {
            userId: user.id,
            acsUserId,
            scopes: ["chat"],
            expiresInMinutes: 60,
            expiresOn: new Date(t0.getTime() + 3_600_000),
            issuedAt: t0,
          },
          "token.issued",
        );
        const t1 = new Date(t0.getTime() + 1000);
        await grants.record(
          {
            userId: user.id,
            acsUserId,
            scopes: ["chat", "presence"],
            expiresInMinutes: 90,
            expiresOn: new Date(t1.getTime() + 5_400_000),
            issuedAt: t1,
          },
          "token.refreshed",
        );
        const current = await grants.current(user.id);
        expect(current).toMatchObject({
          scopes: ["chat", "presence"],
          expiresInMinutes: 90,
          revokedAt: null,
        });
        const t2 = new Date(t1.getTime() + 1000);
        await grants.revokeAll(user.id, acsUserId, t2, "token.revoked");
        expect((await grants.current(user.id))?.revokedAt).toEqual(t2);
        const trail = await grants.auditTrail(user.id);
        expect(trail.map((e) => e.action)).toEqual([
          "token.issued",
          "token.refreshed",
          "token.revoked",
        ]);
        expect(trail[1]).toMatchObject({ scopes: ["chat", "presence"], acsUserId, at: t1 });
      });
    });

    describe("token rate limiter", () => {
      it("allows exactly the limit per window, even when requests arrive at once", async () => {
        const limiter = createTokenRateLimiter(database.orm);
        const userId = randomUUID();
        const now = new Date("2026-01-01T10:00:15Z");
        const decisions = await Promise.all(
          Array.from({ length: 8 }, () => limiter.consume(userId, now, 5)),
        );
        expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
        expect(decisions.map((d) => d.count).sort((a, b) => a - b)).toEqual([
          1, 2, 3, 4, 5, 6, 7, 8,
        ]);
        expect(decisions.find((d) => !d.allowed)?.retryAfterSeconds).toBe(45);
      });

      it("reports the user's active identity with the decision", async () => {
        const limiter = createTokenRateLimiter(database.orm);
        const repo = createIdentityRepository(database.orm);
        const user = await createTestUser(database);
        const now = new Date();
        expect((await limiter.consume(user.id, now, 100)).acsUserId).toBeNull();
        const acsUserId = `8:acs:test_${randomUUID()}`;
        await repo.insertIfAbsent(user.id, acsUserId, now);
        expect((await limiter.consume(user.id, now, 100)).acsUserId).toBe(acsUserId);
        await repo.markDeleting(user.id, acsUserId);
        expect((await limiter.consume(user.id, now, 100)).acsUserId).toBeNull();
      });

      it("starts a new count in the next minute", async () => {
        const limiter = createTokenRateLimiter(database.orm);
        const userId = randomUUID();
        const t0 = new Date("2026-01-01T10:00:59Z");
        expect((await limiter.consume(userId, t0, 1)).allowed).toBe(true);
        const refused = await limiter.consume(userId, t0, 1);
        expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
        expect(await limiter.consume(userId, new Date("2026-01-01T10:01:00Z"), 1)).toMatchObject({
          allowed: true,
          count: 1,
        });
      });
    });
  });
}
