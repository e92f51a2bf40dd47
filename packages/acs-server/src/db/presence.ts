// Presence rows and who may see them. Every statement that changes what watchers see also sends
// `NOTIFY acs_presence, '<event json>'` in the same statement, so the change and its fan-out commit
// together on whichever instance made it.
import { and, eq, inArray, sql } from "drizzle-orm";

import type { PresenceState } from "../contract";
import type { Orm } from "./index";
import { acsIdentities, appUsers, presence, presenceVisibility } from "./schema";

export const PRESENCE_CHANNEL = "acs_presence";

/**
 * Rows that grant visibility: consent ("allowed") or a chat the app set up ("chat"). Rows with reason
 * "directory" (written when a search alone granted it) are ignored.
 */
const VISIBILITY_REASONS = ["allowed", "chat"] as const;

/** What watchers receive: the effective state (offline once timed out). */
export interface PresenceEvent {
  userId: string;
  acsUserId: string | null;
  state: PresenceState;
  text: string | null;
  /** ISO time of the last set/heartbeat; null when the user never reported presence. */
  lastSeen: string | null;
  /** Grows with every change of this user's row; watchers drop events older than what they have. */
  revision: number;
}

interface EventRow {
  payload: string;
}

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Sent on the channel when a user's grants were revoked (their watch streams must end). */
export interface GrantsRevokedNotice {
  grantsRevokedFor: string;
}

/** Sent on the channel by an instance to itself: LISTEN works while its pings come back. */
export interface ListenPing {
  listenPing: string;
}

export function serializeListenPing(id: string): string {
  return JSON.stringify({ listenPing: id } satisfies ListenPing);
}

/** Parses a notification payload: a presence change, a revocation notice, or a LISTEN ping. */
export function parsePresenceNotification(
  payload: string,
): PresenceEvent | GrantsRevokedNotice | ListenPing {
  const raw = JSON.parse(payload) as Partial<GrantsRevokedNotice & ListenPing>;
  if (typeof raw.grantsRevokedFor === "string") return { grantsRevokedFor: raw.grantsRevokedFor };
  if (typeof raw.listenPing === "string") return { listenPing: raw.listenPing };
  return parsePresenceEvent(payload);
}

/** Parses a presence change (a notification payload or a statement's event column). */
export function parsePresenceEvent(payload: string): PresenceEvent {
  const raw = JSON.parse(payload) as Omit<PresenceEvent, "lastSeen"> & { lastSeen: string | null };
  return {
    userId: raw.userId,
    acsUserId: raw.acsUserId,
    state: raw.state,
    text: raw.text,
    lastSeen: raw.lastSeen === null ? null : new Date(raw.lastSeen).toISOString(),
    revision: Number(raw.revision),
  };
}

/** json_build_object of an event from a CTE row `r` (user_id, state, text, last_seen, revision). */
const eventJson = (
  stateExpression: ReturnType<typeof sql>,
  textExpression: ReturnType<typeof sql>,
) => sql`
  json_build_object(
    'userId', r.user_id,
    'acsUserId', (select i.acs_user_id from acs_identities i where i.user_id = r.user_id and i.status = 'active'),
    'state', ${stateExpression},
    'text', ${textExpression},
    'lastSeen', r.last_seen,
    'revision', r.revision
  )::text`;

export function createPresenceRepository(orm: Orm) {
  return {
    /** Sets the user's chosen state and text (alive as of `now`) and notifies watchers. */
    async set(
      userId: string,
      state: PresenceState,
      text: string | null,
      now: Date,
    ): Promise<PresenceEvent> {
      const result = await orm.execute(sql`
        with r as (
          insert into presence as p (user_id, state, text, last_seen, timed_out_at, revision, updated_at)
          values (${userId}, ${state}, ${text}, ${now}, null, 1, ${now})
          on conflict (user_id) do update set
            state = excluded.state, text = excluded.text, last_seen = excluded.last_seen,
            timed_out_at = null, revision = p.revision + 1, updated_at = excluded.updated_at
          returning p.user_id, p.state, p.text, p.last_seen, p.revision
        ),
        event as (select ${eventJson(sql`r.state`, sql`r.text`)} as payload from r),
        notified as (select pg_notify(${PRESENCE_CHANNEL}, payload) from event)
        select payload, (select count(*) from notified) as notified from event
      `);
      const [row] = rowsOf<EventRow>(result);
      if (!row) throw new Error("presence.set: upsert returned no row");
      return parsePresenceEvent(row.payload);
    },

    /**
     * Marks the user alive as of `now`. Watchers are notified only when that changes the effective
     * state: first heartbeat ever, or back after a time-out (stale since `cutoff`).
     */
    async heartbeat(userId: string, now: Date, cutoff: Date): Promise<PresenceEvent> {
      const result = await orm.execute(sql`
        with prev as (select last_seen, timed_out_at from presence where user_id = ${userId}),
        r as (
          insert into presence as p (user_id, state, text, last_seen, timed_out_at, revision, updated_at)
          values (${userId}, 'online', null, ${now}, null, 1, ${now})
          on conflict (user_id) do update set
            last_seen = greatest(p.last_seen, excluded.last_seen),
            timed_out_at = null,
            revision = case when p.timed_out_at is not null or p.last_seen < ${cutoff}
                            then p.revision + 1 else p.revision end,
            updated_at = case when p.timed_out_at is not null or p.last_seen < ${cutoff}
                              then excluded.updated_at else p.updated_at end
          returning p.user_id, p.state, p.text, p.last_seen, p.revision
        ),
        event as (
          select ${eventJson(sql`r.state`, sql`r.text`)} as payload,
            r.state <> 'offline'
              and (prev.last_seen is null or prev.timed_out_at is not null or prev.last_seen < ${cutoff}) as changed
          from r left join prev on true
        ),
        notified as (select pg_notify(${PRESENCE_CHANNEL}, payload) from event where changed)
        select payload, (select count(*) from notified) as notified from event
      `);
      const [row] = rowsOf<EventRow>(result);
      if (!row) throw new Error("presence.heartbeat: upsert returned no row");
      return parsePresenceEvent(row.payload);
    },

    /**
     * Marks every user without a heartbeat since `cutoff` timed out (effective state offline) and
     * notifies watchers: one statement; with several instances sweeping, each row is swept once.
     */
    async sweep(now: Date, cutoff: Date): Promise<PresenceEvent[]> {
      const result = await orm.execute(sql`
        with r as (
          update presence p set timed_out_at = ${now}, revision = p.revision + 1, updated_at = ${now}
          where p.timed_out_at is null and p.state <> 'offline' and p.last_seen < ${cutoff}
          returning p.user_id, p.last_seen, p.revision
        ),
        event as (select ${eventJson(sql`'offline'`, sql`null::text`)} as payload from r),
        notified as (select pg_notify(${PRESENCE_CHANNEL}, payload) from event)
        select payload, (select count(*) from notified) as notified from event
      `);
      return rowsOf<EventRow>(result).map((row) => parsePresenceEvent(row.payload));
    },

    /** The stored rows of existing app users among `userIds` (effective state computed by the caller). */
    async read(userIds: readonly string[]) {
      if (userIds.length === 0) return [];
      return orm
        .select({
          userId: appUsers.id,
          acsUserId: acsIdentities.acsUserId,
          state: presence.state,
          text: presence.text,
          lastSeen: presence.lastSeen,
          timedOutAt: presence.timedOutAt,
          revision: presence.revision,
        })
        .from(appUsers)
        .leftJoin(presence, eq(presence.userId, appUsers.id))
        .leftJoin(
          acsIdentities,
          and(eq(acsIdentities.userId, appUsers.id), eq(acsIdentities.status, "active")),
        )
        .where(inArray(appUsers.id, [...userIds]));
    },

    /** App user ids of the given ACS identities (unknown ones are left out). */
    async userIdsOfAcsUsers(acsUserIds: readonly string[]): Promise<string[]> {
      if (acsUserIds.length === 0) return [];
      const rows = await orm
        .select({ userId: acsIdentities.userId })
        .from(acsIdentities)
        .where(inArray(acsIdentities.acsUserId, [...acsUserIds]));
      return rows.map((r) => r.userId);
    },

    /**
     * `userId` put `otherIds` in a chat through the app: each pair may now see the other's presence
     * (reason "chat"; an existing "allowed" row stays as it is).
     */
    async recordChatPairs(userId: string, otherIds: readonly string[]): Promise<void> {
      const pairs = [...new Set(otherIds)]
        .filter((id) => id !== userId)
        .flatMap((id) => [
          { viewerId: userId, subjectId: id, reason: "chat" as const },
          { viewerId: id, subjectId: userId, reason: "chat" as const },
        ]);
      if (pairs.length === 0) return;
      await orm.insert(presenceVisibility).values(pairs).onConflictDoNothing();
    },

    /** `subjectId` lets `viewerIds` see its presence (existing users only); returns how many were added or kept. */
    async allow(subjectId: string, viewerIds: readonly string[]): Promise<number> {
      const viewers = [...new Set(viewerIds)].filter((id) => id !== subjectId);
      if (viewers.length === 0) return 0;
      const existing = await orm
        .select({ id: appUsers.id })
        .from(appUsers)
        .where(inArray(appUsers.id, viewers));
      if (existing.length === 0) return 0;
      await orm
        .insert(presenceVisibility)
        .values(existing.map((u) => ({ viewerId: u.id, subjectId, reason: "allowed" as const })))
        .onConflictDoNothing();
      return existing.length;
    },

    /** The subset of `subjectIds` that `viewerId` may NOT watch (oneself is always visible). */
    async notVisible(viewerId: string, subjectIds: readonly string[]): Promise<string[]> {
      const others = [...new Set(subjectIds)].filter((id) => id !== viewerId);
      if (others.length === 0) return [];
      const visible = await orm
        .select({ subjectId: presenceVisibility.subjectId })
        .from(presenceVisibility)
        .where(
          and(
            eq(presenceVisibility.viewerId, viewerId),
            inArray(presenceVisibility.subjectId, others),
            inArray(presenceVisibility.reason, VISIBILITY_REASONS),
          ),
        );
      const allowed = new Set(visible.map((v) => v.subjectId));
      return others.filter((id) => !allowed.has(id));
    },
  };
}

export type PresenceRepository = ReturnType<typeof createPresenceRepository>;
