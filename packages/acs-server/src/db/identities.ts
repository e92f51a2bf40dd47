// The app user → ACS identity mapping. Race safety comes from the primary key on user_id:
// inserts never overwrite, and callers read back whichever row won.
import { and, eq } from "drizzle-orm";

import type { Orm } from "./index";
import { acsIdentities } from "./schema";

export type IdentityRow = typeof acsIdentities.$inferSelect;

export function createIdentityRepository(orm: Orm) {
  return {
    async find(userId: string): Promise<IdentityRow | undefined> {
      const [row] = await orm.select().from(acsIdentities).where(eq(acsIdentities.userId, userId));
      return row;
    },

    /** Inserts the mapping unless the user already has one; true when this call's row won. */
    async insertIfAbsent(userId: string, acsUserId: string, now: Date): Promise<boolean> {
      const inserted = await orm
        .insert(acsIdentities)
        .values({ userId, acsUserId, status: "active", createdAt: now })
        .onConflictDoNothing({ target: acsIdentities.userId })
        .returning({ userId: acsIdentities.userId });
      return inserted.length === 1;
    },

    async markDeleting(userId: string, acsUserId: string): Promise<void> {
      await orm
        .update(acsIdentities)
        .set({ status: "deleting" })
        .where(and(eq(acsIdentities.userId, userId), eq(acsIdentities.acsUserId, acsUserId)));
    },

    async remove(userId: string, acsUserId: string): Promise<void> {
      await orm
        .delete(acsIdentities)
        .where(and(eq(acsIdentities.userId, userId), eq(acsIdentities.acsUserId, acsUserId)));
    },
  };
}

export type IdentityRepository = ReturnType<typeof createIdentityRepository>;
