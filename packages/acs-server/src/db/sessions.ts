// Sign-in sessions of the host app. The session JWT carries the id; a session counts only while its
// row exists with no `ended_at`, so ending the row ends the session at every entry point at once.
import { randomUUID } from "node:crypto";

import { and, eq, isNull } from "drizzle-orm";

import type { Database } from "./index";
import { authSessions } from "./schema";

export interface AuthSession {
  id: string;
  userId: string;
  createdAt: Date;
  endedAt: Date | null;
  userAgent: string | null;
}

export interface SessionStore {
  /** Starts a session for the user (at sign-in); its id goes into the session JWT. */
  create(userId: string, details?: { userAgent?: string | null }): Promise<AuthSession>;
  /** True while the session exists, belongs to `userId` and has not ended. */
  isActive(sessionId: string, userId: string): Promise<boolean>;
  /** Ends one session ("Sign out" on this device). Ending an ended session changes nothing. */
  end(sessionId: string, now?: Date): Promise<void>;
  /** Ends every live session of the user ("Sign out everywhere"); returns how many were live. */
  endAllOf(userId: string, now?: Date): Promise<number>;
}

export function createSessionStore(database: Database): SessionStore {
  const { orm } = database;
  return {
    async create(userId, details = {}) {
      const [row] = await orm
        .insert(authSessions)
        .values({ id: randomUUID(), userId, userAgent: details.userAgent?.slice(0, 512) ?? null })
        .returning();
      if (!row) throw new Error("createSession: insert returned no row");
      return row;
    },

    async isActive(sessionId, userId) {
      const [row] = await orm
        .select({ id: authSessions.id })
        .from(authSessions)
        .where(
          and(
            eq(authSessions.id, sessionId),
            eq(authSessions.userId, userId),
            isNull(authSessions.endedAt),
          ),
        );
      return row !== undefined;
    },

    async end(sessionId, now = new Date()) {
      await orm
        .update(authSessions)
        .set({ endedAt: now })
        .where(and(eq(authSessions.id, sessionId), isNull(authSessions.endedAt)));
    },

    async endAllOf(userId, now = new Date()) {
      const ended = await orm
        .update(authSessions)
        .set({ endedAt: now })
        .where(and(eq(authSessions.userId, userId), isNull(authSessions.endedAt)))
        .returning({ id: authSessions.id });
      return ended.length;
    },
  };
}
