// The store suite, run once against PGlite and once against a real PostgreSQL server.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../../src/db";
import { createGrantRepository } from "../../src/db/grants";
import { createIdentityRepository } from "../../src/db/identities";
import { createTokenRateLimiter } from "../../src/db/rate-limits";
import { EmailTakenError, createUserStore } from "../../src/db/users";
import { pgErrorCode } from "../../src/errors";
import { createTestUser } from "../helpers/users";

export function describeStoreSuite(driverName: string, open: () => Promise<Database>) {
  describe(`stores on ${driverName}`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await open();
    });
    afterAll(async () => {
      await database?.close();
    });

    it(`opens the ${driverName} driver with migrations applied`, () => {
      expect(database.driver).toBe(driverName);
    });

    describe("UserStore", () => {
      it("creates users, finds them case-insensitively and refuses a taken email", async () => {
        const users = createUserStore(database);
        const email = `Ada.${randomUUID()}@Example.test`;
        const created = await users.createUser({ email, displayName: " Ada ", passwordHash: "scrypt$x" });
        expect(created.email).toBe(email.toLowerCase());
        expect(created.displayName).toBe("Ada");
        expect(await users.findByEmail(email.toUpperCase())).toEqual(created);
        expect(await users.findById(created.id)).toEqual(created);
        expect(await users.findById(randomUUID())).toBeUndefined();
        await expect(
          users.createUser({ email: email.toUpperCase(), displayName: "Other", passwordHash: null }),
        ).rejects.toBeInstanceOf(EmailTakenError);
      });

      it("lets exactly one of concurrent sign-ups with the same email win", async () => {
        const users = createUserStore(database);
        const email = `race.${randomUUID()}@example.test`;
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => users.createUser({ email, displayName: `R${i}`, passwordHash: null })),
        );
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        for (const r of results) {
          if (r.status === "rejected") expect(r.reason).toBeInstanceOf(EmailTakenError);
        }
      });

      it("locks an email after 5 failures within the window and unlocks after the lock", async () => {
        const users = createUserStore(database, { maxFailures: 5, lockMinutes: 15, windowMinutes: 15 });
        const email = `lock.${randomUUID()}@example.test`;
        const t0 = new Date("2026-01-01T10:00:00Z");
        for (let i = 1; i <= 4; i++) {
          expect(await users.recordLoginFailure(email, new Date(t0.getTime() + i * 1000))).toEqual({
            failures: i,
            lockedUntil: null,
          });
        }
        const fifth = new Date(t0.getTime() + 5000);
        const locked = await users.recordLoginFailure(email.toUpperCase(), fifth);
        expect(locked.failures).toBe(5);
        expect(locked.lockedUntil?.getTime()).toBe(fifth.getTime() + 15 * 60_000);
        expect(await users.loginLockedUntil(email, new Date(fifth.getTime() + 60_000))).toEqual(locked.lockedUntil);
        expect(await users.loginLockedUntil(email, new Date(fifth.getTime() + 16 * 60_000))).toBeNull();
        await users.clearLoginFailures(email);
        expect(await users.loginLockedUntil(email, fifth)).toBeNull();
        expect((await users.recordLoginFailure(email, fifth)).failures).toBe(1);
      });

      it("forgets failures older than the window", async () => {
        const users = createUserStore(database, { windowMinutes: 15 });
        const email = `stale.${randomUUID()}@example.test`;
        const t0 = new Date("2026-01-01T10:00:00Z");
        await users.recordLoginFailure(email, t0);
        await users.recordLoginFailure(email, t0);
        expect((await users.recordLoginFailure(email, new Date(t0.getTime() + 16 * 60_000))).failures).toBe(1);
      });

      it("counts every one of concurrent failures", async () => {
        const users = createUserStore(database, { maxFailures: 100 });
        const email = `conc.${randomUUID()}@example.test`;
        const now = new Date();
        await Promise.all(Array.from({ length: 10 }, () => users.recordLoginFailure(email, now)));
        expect((await users.recordLoginFailure(email, now)).failures).toBe(11);
      });
    });

    describe("identity mapping", () => {
      it("keeps exactly one of concurrent inserts for a user and reads the winner back", async () => {
        const repo = createIdentityRepository(database.orm);
        const user = await createTestUser(database);
        const candidates = Array.from({ length: 20 }, () => `8:acs:test_${randomUUID()}`);
        const won = await Promise.all(candidates.map((id) => repo.insertIfAbsent(user.id, id, new Date())));
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
        const duplicate = await repo.insertIfAbsent(b.id, acsUserId, new Date()).catch((e: unknown) => e);
        expect(pgErrorCode(duplicate)).toBe("23505");
        const orphan = await repo.insertIfAbsent(randomUUID(), `8:acs:test_${randomUUID()}`, new Date()).catch((e: unknown) => e);
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
          { userId: user.id, acsUserId, scopes: ["chat"], expiresInMinutes: 60, expiresOn: new Date(t0.getTime() + 3_600_000), issuedAt: t0 },
          "token.issued",
        );
        const t1 = new Date(t0.getTime() + 1000);
        await grants.record(
          { userId: user.id, acsUserId, scopes: ["chat", "presence"], expiresInMinutes: 90, expiresOn: new Date(t1.getTime() + 5_400_000), issuedAt: t1 },
          "token.refreshed",
        );
        const current = await grants.current(user.id);
        expect(current).toMatchObject({ scopes: ["chat", "presence"], expiresInMinutes: 90, revokedAt: null });
        const t2 = new Date(t1.getTime() + 1000);
        await grants.revokeAll(user.id, acsUserId, t2, "token.revoked");
        expect((await grants.current(user.id))?.revokedAt).toEqual(t2);
        const trail = await grants.auditTrail(user.id);
        expect(trail.map((e) => e.action)).toEqual(["token.issued", "token.refreshed", "token.revoked"]);
        expect(trail[1]).toMatchObject({ scopes: ["chat", "presence"], acsUserId, at: t1 });
      });
    });

    describe("token rate limiter", () => {
      it("allows exactly the limit per window, even when requests arrive at once", async () => {
        const limiter = createTokenRateLimiter(database.orm);
        const userId = randomUUID();
        const now = new Date("2026-01-01T10:00:15Z");
        const decisions = await Promise.all(Array.from({ length: 8 }, () => limiter.consume(userId, now, 5)));
        expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
        expect(decisions.map((d) => d.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
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
        expect(await limiter.consume(userId, new Date("2026-01-01T10:01:00Z"), 1)).toMatchObject({ allowed: true, count: 1 });
      });
    });
  });
}
