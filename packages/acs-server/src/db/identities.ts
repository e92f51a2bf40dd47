// The app user → ACS identity mapping. Race safety comes from the primary key on user_id:
// inserts never overwrite, and callers read back whichever row won.
import { and, eq, sql } from "drizzle-orm";

import type { Orm } from "./index";
import { acsIdentities } from "./schema";

export type IdentityRow = typeof acsIdentities.$inferSelect;

export function createIdentityRepository(orm: Orm) {
  return {
    async find(userId: string): Promise<IdentityRow | undefined> {
      const [row] = await orm.select().from(acsIdentities).where(eq(acsIdentities.userId, userId));
      return row;
    },

    /**
     * Inserts the mapping unless the user already has one, with its `identity.created` audit row in the
     * same statement; true when this call's row won.
     */
    async insertIfAbsent(userId: string, acsUserId: string, now: Date): Promise<boolean> {
      const result: unknown = await orm.execute(sql`
        with inserted as (
          insert into acs_identities (user_id, acs_user_id, status, created_at)
          values (${userId}, ${acsUserId}, 'active', ${now})
          on conflict (user_id) do nothing
          returning user_id, acs_user_id, created_at
        )
        insert into audit_events (user_id, acs_user_id, action, at)
        select user_id, acs_user_id, 'identity.created', created_at from inserted
        returning user_id
      `);
      return (result as { rows: unknown[] }).rows.length === 1;
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
