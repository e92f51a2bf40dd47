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

export interface DirectoryServiceDeps {
  orm: Orm;
  identities: IdentityService;
  /** Told which users a search showed to the caller (presence visibility). */
  onFound?: (callerId: string, foundIds: readonly string[]) => Promise<void>;
}

export function createDirectoryService({ orm, identities, onFound }: DirectoryServiceDeps) {
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
      const entries = await Promise.all(
        users.map(async (u) => ({
          userId: u.id,
          displayName: u.displayName,
          acsUserId: (await identities.ensure(u.id)).acsUserId,
        })),
      );
      await onFound?.(callerId, entries.map((e) => e.userId));
      return entries;
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
