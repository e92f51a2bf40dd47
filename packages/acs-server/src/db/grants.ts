// Token grants (what refresh re-issues) and the audit trail of grants and revocations.
import { and, desc, eq, isNull, sql } from "drizzle-orm";

import type { TokenScope } from "../contract";
import type { Orm } from "./index";
import { PRESENCE_CHANNEL } from "./presence";
import { auditEvents, tokenGrants } from "./schema";

export type GrantRow = typeof tokenGrants.$inferSelect;
export type AuditAction = (typeof auditEvents.$inferInsert)["action"];

export interface NewGrant {
  userId: string;
  acsUserId: string;
  scopes: readonly TokenScope[];
  expiresInMinutes: number;
  expiresOn: Date;
  issuedAt: Date;
}

export function createGrantRepository(orm: Orm) {
  return {
    /** Stores the grant and its audit row together, in one statement (one round trip on the hot path). */
    async record(grant: NewGrant, action: "token.issued" | "token.refreshed"): Promise<void> {
      // Scopes are validated enum names (no commas or quotes), so the array literal is safe.
      const scopes = `{${grant.scopes.join(",")}}`;
      await orm.execute(sql`
        with granted as (
          insert into token_grants (user_id, acs_user_id, scopes, expires_in_minutes, expires_on, issued_at)
          values (${grant.userId}, ${grant.acsUserId}, ${scopes}::text[], ${grant.expiresInMinutes},
                  ${grant.expiresOn}, ${grant.issuedAt})
          returning user_id
        )
        insert into audit_events (user_id, acs_user_id, action, scopes, expires_on, at)
        select user_id, ${grant.acsUserId}, ${action}, ${scopes}::text[], ${grant.expiresOn}, ${grant.issuedAt}
        from granted
      `);
    },

    /** The newest grant of the user, revoked or not. */
    async current(userId: string): Promise<GrantRow | undefined> {
      const [row] = await orm
        .select()
        .from(tokenGrants)
        .where(eq(tokenGrants.userId, userId))
        .orderBy(desc(tokenGrants.issuedAt), desc(tokenGrants.id))
        .limit(1);
      return row;
    },

    /** Marks every live grant revoked and writes one audit row with `action`. */
    async revokeAll(
      userId: string,
      acsUserId: string | null,
      at: Date,
      action: "token.revoked" | "identity.deleted",
    ): Promise<void> {
      await orm.transaction(async (tx) => {
        await tx
          .update(tokenGrants)
          .set({ revokedAt: at })
          .where(and(eq(tokenGrants.userId, userId), isNull(tokenGrants.revokedAt)));
        await tx.insert(auditEvents).values({ userId, acsUserId, action, at });
        // Open presence streams of this user end on every instance (delivered at commit).
        await tx.execute(
          sql`select pg_notify(${PRESENCE_CHANNEL}, ${JSON.stringify({ grantsRevokedFor: userId })})`,
        );
      });
    },

    async audit(
      userId: string,
      acsUserId: string | null,
      action: AuditAction,
      at: Date,
      details: { scopes?: readonly string[]; expiresOn?: Date } = {},
    ): Promise<void> {
      await orm.insert(auditEvents).values({
        userId,
        acsUserId,
        action,
        at,
        ...(details.scopes ? { scopes: [...details.scopes] } : {}),
        ...(details.expiresOn ? { expiresOn: details.expiresOn } : {}),
      });
    },

    async auditTrail(userId: string) {
      return orm
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.userId, userId))
        .orderBy(auditEvents.id);
    },
  };
}

export type GrantRepository = ReturnType<typeof createGrantRepository>;
