// App users and their OAuth sign-ins (`auth_accounts`), used by apps/web's sign-in.
import { randomUUID } from "node:crypto";

import { and, eq, isNull } from "drizzle-orm";

import type { Database } from "./index";
import { appUsers, authAccounts } from "./schema";

export interface AppUser {
  id: string;
  /** Null for an account made by an OAuth sign-in whose provider vouched for no email. */
  email: string | null;
  displayName: string;
  passwordHash: string | null;
  createdAt: Date;
  /** Null until the person follows the link of a sign-up mail (see email-tokens.ts). */
  emailVerifiedAt: Date | null;
}

/** An OAuth sign-in: the provider (`github`, `microsoft-entra-id`) and its stable id of the person. */
export interface ProviderAccount {
  provider: string;
  providerAccountId: string;
}

export interface LinkedAccount extends ProviderAccount {
  userId: string;
  email: string | null;
  emailVerified: boolean;
  linkedAt: Date;
}

export class EmailTakenError extends Error {
  constructor(readonly email: string) {
    super(`An account with the email ${email} already exists.`);
    this.name = "EmailTakenError";
  }
}

/** The provider account already belongs to another app user: linking it would take that account over. */
export class ProviderAccountTakenError extends Error {
  constructor(readonly account: ProviderAccount) {
    super(`The ${account.provider} account is already linked to another app user.`);
    this.name = "ProviderAccountTakenError";
  }
}

export interface UserStore {
  /**
   * Throws EmailTakenError when the (case-insensitive) email is already registered. `emailVerifiedAt`
   * defaults to now (OAuth accounts, dev sign-up, tests); a sign-up that must confirm its email
   * passes null.
   */
  createUser(input: {
    email: string | null;
    displayName: string;
    passwordHash: string | null;
    emailVerifiedAt?: Date | null;
  }): Promise<AppUser>;
  findByEmail(email: string): Promise<AppUser | undefined>;
  findById(id: string): Promise<AppUser | undefined>;
  /** The app user an OAuth sign-in is linked to, if any. */
  findByProviderAccount(account: ProviderAccount): Promise<AppUser | undefined>;
  /**
   * Links an OAuth sign-in to `userId`. Idempotent for the same user; throws ProviderAccountTakenError
   * when it is linked to someone else (never moves a link).
   */
  linkProviderAccount(
    input: ProviderAccount & { userId: string; email: string | null; emailVerified: boolean },
  ): Promise<LinkedAccount>;
  listProviderAccounts(userId: string): Promise<LinkedAccount[]>;
  /**
   * A repeated sign-up of an address nobody has confirmed yet: the newest form wins (its password and
   * name), so a stranger who registered the address first cannot keep its owner out. Changes nothing
   * (returns undefined) once the email is verified.
   */
  replaceUnverified(
    userId: string,
    input: { displayName: string; passwordHash: string },
  ): Promise<AppUser | undefined>;
  /**
   * Deletes the app user; the rows kept for them (sessions, grants, Entra tokens, …) go with it by
   * foreign-key cascade. Their identity at ACS stays: delete it first (acs.identity.delete).
   */
  deleteUser(userId: string): Promise<void>;
  /** Sets the user's display name (trimmed); undefined when there is no such user. */
  updateDisplayName(userId: string, displayName: string): Promise<AppUser | undefined>;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createUserStore(database: Database): UserStore {
  const { orm } = database;

  return {
    async createUser({ email, displayName, passwordHash, emailVerifiedAt = new Date() }) {
      const normalized = email === null ? null : normalizeEmail(email);
      const [row] = await orm
        .insert(appUsers)
        .values({
          id: randomUUID(),
          email: normalized,
          displayName: displayName.trim(),
          passwordHash,
          emailVerifiedAt,
        })
        .onConflictDoNothing({ target: appUsers.email })
        .returning();
      if (!row) throw new EmailTakenError(normalized ?? "");
      return row;
    },

    async findByEmail(email) {
      const [row] = await orm
        .select()
        .from(appUsers)
        .where(eq(appUsers.email, normalizeEmail(email)));
      return row;
    },

    async findById(id) {
      const [row] = await orm.select().from(appUsers).where(eq(appUsers.id, id));
      return row;
    },

    async findByProviderAccount({ provider, providerAccountId }) {
      const [row] = await orm
        .select({ user: appUsers })
        .from(authAccounts)
        .innerJoin(appUsers, eq(appUsers.id, authAccounts.userId))
        .where(
          and(
            eq(authAccounts.provider, provider),
            eq(authAccounts.providerAccountId, providerAccountId),
          ),
        );
      return row?.user;
    },

    async linkProviderAccount({ provider, providerAccountId, userId, email, emailVerified }) {
      await orm
        .insert(authAccounts)
        .values({
          provider,
          providerAccountId,
          userId,
          email: email === null ? null : normalizeEmail(email),
          emailVerified,
        })
        .onConflictDoNothing();
      const [row] = await orm
        .select()
        .from(authAccounts)
        .where(
          and(
            eq(authAccounts.provider, provider),
            eq(authAccounts.providerAccountId, providerAccountId),
          ),
        );
      if (!row) throw new Error("linkProviderAccount: the row vanished");
      if (row.userId !== userId)
        throw new ProviderAccountTakenError({ provider, providerAccountId });
      return row;
    },

    async listProviderAccounts(userId) {
      return orm.select().from(authAccounts).where(eq(authAccounts.userId, userId));
    },

    async replaceUnverified(userId, { displayName, passwordHash }) {
      const [row] = await orm
        .update(appUsers)
        .set({ displayName: displayName.trim(), passwordHash })
        .where(and(eq(appUsers.id, userId), isNull(appUsers.emailVerifiedAt)))
        .returning();
      return row;
    },

    async deleteUser(userId) {
      await orm.delete(appUsers).where(eq(appUsers.id, userId));
    },

    async updateDisplayName(userId, displayName) {
      const [row] = await orm
        .update(appUsers)
        .set({ displayName: displayName.trim() })
        .where(eq(appUsers.id, userId))
        .returning();
      return row;
    },
  };
}
