// Other app users the caller can start a chat with, each with an ACS identity (created on demand).
import { and, asc, ilike, ne, or } from "drizzle-orm";

import type { Orm } from "../db";
import { appUsers } from "../db/schema";
import type { IdentityService } from "./identities";

export const DIRECTORY_SEARCH_LIMIT = 20;

export interface DirectoryEntry {
  userId: string;
  displayName: string;
  acsUserId: string;
}

/** Escapes LIKE wildcards so "50%" matches literally. */
function likeContains(query: string): string {
  return `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function createDirectoryService({ orm, identities }: { orm: Orm; identities: IdentityService }) {
  return {
    async search(callerId: string, query: string): Promise<DirectoryEntry[]> {
      const pattern = likeContains(query.trim());
      const users = await orm
        .select({ id: appUsers.id, displayName: appUsers.displayName })
        .from(appUsers)
        .where(
          and(ne(appUsers.id, callerId), or(ilike(appUsers.displayName, pattern), ilike(appUsers.email, pattern))),
        )
        .orderBy(asc(appUsers.displayName), asc(appUsers.id))
        .limit(DIRECTORY_SEARCH_LIMIT);
      return Promise.all(
        users.map(async (u) => ({
          userId: u.id,
          displayName: u.displayName,
          acsUserId: (await identities.ensure(u.id)).acsUserId,
        })),
      );
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
