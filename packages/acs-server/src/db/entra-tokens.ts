// The Entra ID tokens the host app keeps for people signed in with Microsoft Entra ID and the Teams
// scopes: one row per app user, deleted with the user. The tokens arrive sealed (the host app
// encrypts them under its own secret), so this store neither sees nor needs them in clear.
import { eq } from "drizzle-orm";

import type { Database } from "./index";
import { entraTokens } from "./schema";

export interface SealedEntraTokens {
  /** The person's Entra object id (`oid`) and tenant (`tid`). */
  objectId: string;
  tenantId: string | null;
  /** The access and refresh tokens, sealed by the host app: opaque here. */
  sealed: string;
  /** When the access token expires. */
  expiresAt: Date;
}

export interface EntraTokenStore {
  /** Keeps the user's tokens, replacing any they had (each Entra sign-in or refresh). */
  save(userId: string, tokens: SealedEntraTokens): Promise<void>;
  /** The user's tokens, or null when none are kept. */
  get(userId: string): Promise<SealedEntraTokens | null>;
  /** Forgets the user's tokens ("Sign out everywhere", a refresh token Entra refused). */
  remove(userId: string): Promise<void>;
}

export function createEntraTokenStore(database: Database): EntraTokenStore {
  const { orm } = database;
  return {
    async save(userId, { objectId, tenantId, sealed, expiresAt }) {
      const values = { objectId, tenantId, sealed, expiresAt };
      await orm
        .insert(entraTokens)
        .values({ userId, ...values })
        .onConflictDoUpdate({
          target: entraTokens.userId,
          set: { ...values, updatedAt: new Date() },
        });
    },

    async get(userId) {
      const [row] = await orm
        .select({
          objectId: entraTokens.objectId,
          tenantId: entraTokens.tenantId,
          sealed: entraTokens.sealed,
          expiresAt: entraTokens.expiresAt,
        })
        .from(entraTokens)
        .where(eq(entraTokens.userId, userId));
      return row ?? null;
    },

    async remove(userId) {
      await orm.delete(entraTokens).where(eq(entraTokens.userId, userId));
    },
  };
}
