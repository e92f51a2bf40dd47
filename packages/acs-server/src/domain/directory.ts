// Finding other app users to chat with, and preparing the ones the caller puts in a chat. A search
// answers only a full email address or a display-name prefix (no listing everyone with "@"), creates
// nothing and grants nothing; ACS identities and presence visibility come with addToChat. An account
// whose email is unconfirmed is invisible here: otherwise anyone could appear under any address.
import { and, asc, eq, ilike, inArray, isNotNull, ne, or, sql } from "drizzle-orm";

import type { Orm } from "../db";
import { appUsers } from "../db/schema";
import { normalizeEmail } from "../db/users";
import { InvalidChatMembersError, UnknownAppUserError } from "../errors";
import type { CallLimit } from "./call-limits";
import type { IdentityService } from "./identities";

export const DIRECTORY_SEARCH_LIMIT = 20;
export const DIRECTORY_QUERY_MIN = 2;
export const DIRECTORY_QUERY_MAX = 254;
export const ADD_TO_CHAT_MAX = 250;
/** ACS identities created at once by one addToChat (the rest wait their turn). */
const ENSURE_CONCURRENCY = 8;

export interface DirectoryEntry {
  userId: string;
  displayName: string;
}

export interface ChatMember extends DirectoryEntry {
  acsUserId: string;
}

/** Escapes LIKE wildcards so "50%" matches literally, and matches names starting with `prefix`. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the order of `items`. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  const worker = async () => {
    for (let i = nextIndex++; i < items.length; i = nextIndex++) results[i] = await task(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface DirectoryServiceDeps {
  orm: Orm;
  identities: IdentityService;
  searchLimit: CallLimit;
  addToChatLimit: CallLimit;
  /** Told which users the caller put in a chat (presence visibility both ways). */
  onAddedToChat: (callerId: string, userIds: readonly string[]) => Promise<void>;
}

export function createDirectoryService({
  orm,
  identities,
  searchLimit,
  addToChatLimit,
  onAddedToChat,
}: DirectoryServiceDeps) {
  return {
    /**
     * Other app users whose email is exactly `query` (case-insensitive) or whose display name starts
     * with it (case-insensitive), at most DIRECTORY_SEARCH_LIMIT, by name. `query` is trimmed and at
     * least DIRECTORY_QUERY_MIN characters long (the router checks it).
     */
    async search(callerId: string, query: string): Promise<DirectoryEntry[]> {
      await searchLimit.consume(callerId);
      return orm
        .select({ userId: appUsers.id, displayName: appUsers.displayName })
        .from(appUsers)
        .where(
          and(
            ne(appUsers.id, callerId),
            isNotNull(appUsers.emailVerifiedAt),
            or(
              eq(appUsers.email, normalizeEmail(query)),
              ilike(appUsers.displayName, likePrefix(query)),
            ),
          ),
        )
        .orderBy(asc(appUsers.displayName), asc(appUsers.id))
        .limit(DIRECTORY_SEARCH_LIMIT);
    },

    /**
     * The caller puts `userIds` (existing users other than the caller) in a chat: ensures their ACS
     * identities and lets each of them and the caller see the other's presence.
     */
    async addToChat(callerId: string, userIds: readonly string[]): Promise<ChatMember[]> {
      await addToChatLimit.consume(callerId);
      const wanted = [...new Set(userIds)];
      if (wanted.includes(callerId)) throw new InvalidChatMembersError("self");
      const found = await orm
        .select({
          userId: appUsers.id,
          displayName: appUsers.displayName,
          verified: sql<boolean>`${appUsers.emailVerifiedAt} is not null`,
        })
        .from(appUsers)
        .where(inArray(appUsers.id, [...wanted, callerId]));
      // A stale session (deleted account) must not record visibility for a user that is gone.
      if (!found.some((u) => u.userId === callerId)) throw new UnknownAppUserError();
      // An unconfirmed account counts as unknown: nobody can put it in a chat by its id either.
      const users = found.filter((u) => u.userId !== callerId && u.verified);
      if (users.length < wanted.length)
        throw new InvalidChatMembersError("unknown", wanted.length - users.length);
      const byId = new Map(
        users.map((u) => [u.userId, { userId: u.userId, displayName: u.displayName }]),
      );
      const members = await mapConcurrently(wanted, ENSURE_CONCURRENCY, async (userId) => ({
        ...byId.get(userId)!,
        acsUserId: (await identities.ensure(userId)).acsUserId,
      }));
      await onAddedToChat(callerId, wanted);
      return members;
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
