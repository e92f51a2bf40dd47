// Single-use links sent by mail: confirming a sign-up's email, and resetting a password. A token is
// 32 random bytes (base64url in the link); only its SHA-256 is stored, so a copy of the table opens
// nothing. The row is looked up by that hash, so no secret is ever compared in application code (an
// attacker timing the lookup learns about the hashes of their own guesses only). Each token counts
// for its own user and purpose, for 30 minutes, once: using it is one conditional UPDATE, so two
// parallel uses cannot both succeed.
import { createHash, randomBytes } from "node:crypto";

import { and, eq, gt, isNull, lt } from "drizzle-orm";

import type { Database } from "./index";
import type { EMAIL_TOKEN_PURPOSES } from "./schema";
import { appUsers, authSessions, emailTokens } from "./schema";

export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

export const EMAIL_TOKEN_TTL_MS = 30 * 60_000;
/** Used or expired rows older than this are deleted when the user is sent a new link. */
const KEEP_SPENT_MS = 24 * 60 * 60_000;
/** 32 bytes in base64url, no padding. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface IssuedEmailToken {
  /** Goes into the link, nowhere else (never stored, never logged). */
  token: string;
  expiresAt: Date;
}

export interface PasswordReset {
  userId: string;
  /** The user's live sessions the reset ended (every device is signed out). */
  endedSessions: number;
}

export interface EmailTokenStore {
  /** A new link for `userId`; earlier unused links of the same purpose stop working. */
  issue(userId: string, purpose: EmailTokenPurpose): Promise<IssuedEmailToken>;
  /** The user a valid (unused, unexpired) token of `purpose` belongs to, without using it. */
  peek(token: string, purpose: EmailTokenPurpose): Promise<string | undefined>;
  /**
   * Uses a verify-email token of `userId` and marks the user's email verified, in one transaction.
   * False when the token is unknown, expired, used, of another purpose or another user's.
   */
  confirmEmail(token: string, userId: string): Promise<boolean>;
  /**
   * Uses a reset-password token and, in one transaction: sets the new password hash, marks the
   * email verified (the mail reached its owner), ends every session of the user. Undefined when
   * the token is not valid for a reset.
   */
  resetPassword(token: string, passwordHash: string): Promise<PasswordReset | undefined>;
}

export interface EmailTokenStoreOptions {
  /** The clock (tests move it past the expiry). */
  now?: () => Date;
  ttlMs?: number;
}

/** SHA-256 (hex) of a well-formed token; undefined for anything else, which then matches no row. */
export function hashEmailToken(token: string): string | undefined {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  return createHash("sha256").update(token).digest("hex");
}

export function createEmailTokenStore(
  database: Database,
  options: EmailTokenStoreOptions = {},
): EmailTokenStore {
  const { orm } = database;
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? EMAIL_TOKEN_TTL_MS;

  const usable = (hash: string, purpose: EmailTokenPurpose, at: Date) =>
    and(
      eq(emailTokens.tokenHash, hash),
      eq(emailTokens.purpose, purpose),
      isNull(emailTokens.usedAt),
      gt(emailTokens.expiresAt, at),
    );

  return {
    async issue(userId, purpose) {
      const at = now();
      const token = randomBytes(32).toString("base64url");
      const expiresAt = new Date(at.getTime() + ttlMs);
      await orm.transaction(async (tx) => {
        await tx
          .update(emailTokens)
          .set({ usedAt: at })
          .where(
            and(
              eq(emailTokens.userId, userId),
              eq(emailTokens.purpose, purpose),
              isNull(emailTokens.usedAt),
            ),
          );
        await tx
          .delete(emailTokens)
          .where(
            and(
              eq(emailTokens.userId, userId),
              lt(emailTokens.expiresAt, new Date(at.getTime() - KEEP_SPENT_MS)),
            ),
          );
        await tx
          .insert(emailTokens)
          .values({ tokenHash: hashEmailToken(token)!, userId, purpose, createdAt: at, expiresAt });
      });
      return { token, expiresAt };
    },

    async peek(token, purpose) {
      const hash = hashEmailToken(token);
      if (!hash) return undefined;
      const [row] = await orm
        .select({ userId: emailTokens.userId })
        .from(emailTokens)
        .where(usable(hash, purpose, now()));
      return row?.userId;
    },

    async confirmEmail(token, userId) {
      const hash = hashEmailToken(token);
      if (!hash) return false;
      const at = now();
      return orm.transaction(async (tx) => {
        const used = await tx
          .update(emailTokens)
          .set({ usedAt: at })
          .where(and(usable(hash, "verify-email", at), eq(emailTokens.userId, userId)))
          .returning({ userId: emailTokens.userId });
        if (used.length === 0) return false;
        await tx
          .update(appUsers)
          .set({ emailVerifiedAt: at })
          .where(and(eq(appUsers.id, userId), isNull(appUsers.emailVerifiedAt)));
        return true;
      });
    },

    async resetPassword(token, passwordHash) {
      const hash = hashEmailToken(token);
      if (!hash) return undefined;
      const at = now();
      return orm.transaction(async (tx) => {
        const [used] = await tx
          .update(emailTokens)
          .set({ usedAt: at })
          .where(usable(hash, "reset-password", at))
          .returning({ userId: emailTokens.userId });
        if (!used) return undefined;
        const [user] = await tx
          .select({ emailVerifiedAt: appUsers.emailVerifiedAt })
          .from(appUsers)
          .where(eq(appUsers.id, used.userId));
        await tx
          .update(appUsers)
          .set({ passwordHash, emailVerifiedAt: user?.emailVerifiedAt ?? at })
          .where(eq(appUsers.id, used.userId));
        const ended = await tx
          .update(authSessions)
          .set({ endedAt: at })
          .where(and(eq(authSessions.userId, used.userId), isNull(authSessions.endedAt)))
          .returning({ id: authSessions.id });
        return { userId: used.userId, endedSessions: ended.length };
      });
    },
  };
}
