// App users and sign-in lockout bookkeeping, used by apps/web's credentials sign-in.
import { randomUUID } from "node:crypto";

import { eq, sql } from "drizzle-orm";

import type { Database } from "./index";
import { appUsers, authLoginFailures } from "./schema";

export interface AppUser {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string | null;
  createdAt: Date;
}

export class EmailTakenError extends Error {
  constructor(readonly email: string) {
    super(`An account with the email ${email} already exists.`);
    this.name = "EmailTakenError";
  }
}

export interface LoginLockoutPolicy {
  /** Failures within `windowMinutes` that lock the account. Default 5. */
  maxFailures?: number;
  /** How long a lock lasts. Default 15 minutes. */
  lockMinutes?: number;
  /** Failures older than this are forgotten. Default 15 minutes. */
  windowMinutes?: number;
}

export interface UserStore {
  /** Throws EmailTakenError when the (case-insensitive) email is already registered. */
  createUser(input: { email: string; displayName: string; passwordHash: string | null }): Promise<AppUser>;
  findByEmail(email: string): Promise<AppUser | undefined>;
  findById(id: string): Promise<AppUser | undefined>;
  /** Counts a failed sign-in; returns the running count and, once locked, until when. */
  recordLoginFailure(email: string, now: Date): Promise<{ failures: number; lockedUntil: Date | null }>;
  clearLoginFailures(email: string): Promise<void>;
  /** The lock's end when the email is locked at `now`, else null. */
  loginLockedUntil(email: string, now: Date): Promise<Date | null>;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createUserStore(database: Database, policy: LoginLockoutPolicy = {}): UserStore {
  const { orm } = database;
  const maxFailures = policy.maxFailures ?? 5;
  const lockMs = (policy.lockMinutes ?? 15) * 60_000;
  const windowMs = (policy.windowMinutes ?? 15) * 60_000;

  return {
    async createUser({ email, displayName, passwordHash }) {
      const normalized = normalizeEmail(email);
      const [row] = await orm
        .insert(appUsers)
        .values({ id: randomUUID(), email: normalized, displayName: displayName.trim(), passwordHash })
        .onConflictDoNothing({ target: appUsers.email })
        .returning();
      if (!row) throw new EmailTakenError(normalized);
      return row;
    },

    async findByEmail(email) {
      const [row] = await orm.select().from(appUsers).where(eq(appUsers.email, normalizeEmail(email)));
      return row;
    },

    async findById(id) {
      const [row] = await orm.select().from(appUsers).where(eq(appUsers.id, id));
      return row;
    },

    async recordLoginFailure(email, now) {
      const key = normalizeEmail(email);
      const windowStart = new Date(now.getTime() - windowMs);
      // One atomic upsert, so concurrent failures all count: stale counts restart at 1.
      const [row] = await orm
        .insert(authLoginFailures)
        .values({ email: key, failures: 1, lastFailureAt: now, lockedUntil: null })
        .onConflictDoUpdate({
          target: authLoginFailures.email,
          set: {
            failures: sql`case when ${authLoginFailures.lastFailureAt} < ${windowStart} then 1 else ${authLoginFailures.failures} + 1 end`,
            lastFailureAt: now,
          },
        })
        .returning();
      if (!row) throw new Error("recordLoginFailure: upsert returned no row");
      if (row.failures < maxFailures) return { failures: row.failures, lockedUntil: row.lockedUntil };
      const lockedUntil = new Date(now.getTime() + lockMs);
      await orm.update(authLoginFailures).set({ lockedUntil }).where(eq(authLoginFailures.email, key));
      return { failures: row.failures, lockedUntil };
    },

    async clearLoginFailures(email) {
      await orm.delete(authLoginFailures).where(eq(authLoginFailures.email, normalizeEmail(email)));
    },

    async loginLockedUntil(email, now) {
      const [row] = await orm
        .select({ lockedUntil: authLoginFailures.lockedUntil })
        .from(authLoginFailures)
        .where(eq(authLoginFailures.email, normalizeEmail(email)));
      return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
    },
  };
}
