// Presence: set/heartbeat/watch under the caller's presence grant (./presence-grant.ts), the
// visibility rule, and the sweeper that announces time-outs; ./presence-hub.ts fans changes out to
// this process's watchers, ./presence-events.ts says what readers see.
//
// Nothing here depends on a background timer or on LISTEN staying up (serverless hosts such as Vercel
// run code only while a request is in flight): a silent user is offline when READ (lazy expiry), and
// while watch streams are open a per-process tick polls the database whenever LISTEN is unavailable or
// deaf, and re-reads watched users whose last heartbeat has gone stale. Streams end after
// `watchMaxDurationMs` (before the host's function time limit); the client then resubscribes.
import type { Database } from "../db";
import type { GrantRepository } from "../db/grants";
import type { PresenceState } from "../contract";
import type { PresenceEvent, PresenceRepository } from "../db/presence";
import { PresenceNotVisibleError, PresenceWatchLimitError } from "../errors";
import type { CallLimit } from "./call-limits";
import { EventQueue } from "./presence-event-queue";
import type { PresenceSnapshot } from "./presence-events";
import { createNewsFilter, effectivePresence, toSnapshot } from "./presence-events";
import { createPresenceGrantCheck } from "./presence-grant";
import { createPresenceHub } from "./presence-hub";

export type { PresenceSnapshot } from "./presence-events";

/** A user without a heartbeat for this long is offline. */
export const DEFAULT_PRESENCE_TIMEOUT_MS = 60_000;
/** How often each instance marks timed-out users offline (watchers hear of it 0–10 s after the time-out). */
export const DEFAULT_PRESENCE_SWEEP_INTERVAL_MS = 10_000;
/** Open watch streams per user on one instance (a browser has one per open page that shows dots). */
export const DEFAULT_PRESENCE_WATCH_STREAMS_PER_USER = 5;
/** Events waiting for a slow reader before its stream is ended (instead of growing memory). */
export const DEFAULT_PRESENCE_WATCH_QUEUE_MAX = 1000;
/**
 * While watch streams are open, how often each instance checks that LISTEN delivers, polls the
 * database when it does not, and re-reads watched users whose heartbeat went stale.
 */
export const DEFAULT_PRESENCE_POLL_INTERVAL_MS = 5_000;
/**
 * Watch streams end normally after this long and the client resubscribes: below the 300 s a Vercel
 * function may run by default (https://vercel.com/docs/functions/limitations).
 */
export const DEFAULT_PRESENCE_WATCH_MAX_DURATION_MS = 240_000;
/** Heartbeats per minute a user may send: four times the pace the server asks for (tab switches and reconnects send extra ones). */
export function defaultHeartbeatsPerMinute(timeoutMs: number): number {
  return Math.ceil((4 * 60) / heartbeatIntervalSeconds(timeoutMs));
}

/** timeout / 2.5: two heartbeats may be lost before the user times out. */
function heartbeatIntervalSeconds(timeoutMs: number): number {
  return Math.max(1, Math.floor(timeoutMs / 2500));
}

export interface PresenceTargets {
  userIds?: readonly string[];
  acsUserIds?: readonly string[];
}

export interface PresenceServiceDeps {
  database: Database;
  repository: PresenceRepository;
  grants: GrantRepository;
  now: () => Date;
  timeoutMs?: number;
  /** 0 disables the timer (tests drive `sweep()` themselves). */
  sweepIntervalMs?: number;
  /** Per-user limits on set and heartbeat (none when omitted). */
  setLimit?: CallLimit;
  heartbeatLimit?: CallLimit;
  watchStreamsPerUser?: number;
  watchQueueMax?: number;
  /** See DEFAULT_PRESENCE_POLL_INTERVAL_MS; 0 disables the tick (LISTEN alone, as on one long-lived server). */
  pollIntervalMs?: number;
  /** See DEFAULT_PRESENCE_WATCH_MAX_DURATION_MS; 0: streams never end on their own. */
  watchMaxDurationMs?: number;
}

export function createPresenceService(deps: PresenceServiceDeps) {
  const { repository, now } = deps;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_PRESENCE_TIMEOUT_MS;
  const sweepIntervalMs = deps.sweepIntervalMs ?? DEFAULT_PRESENCE_SWEEP_INTERVAL_MS;
  const cutoff = () => new Date(now().getTime() - timeoutMs);
  const watchStreamsPerUser = deps.watchStreamsPerUser ?? DEFAULT_PRESENCE_WATCH_STREAMS_PER_USER;
  const watchQueueMax = deps.watchQueueMax ?? DEFAULT_PRESENCE_WATCH_QUEUE_MAX;
  const watchMaxDurationMs = deps.watchMaxDurationMs ?? DEFAULT_PRESENCE_WATCH_MAX_DURATION_MS;
  const { requirePresenceGrant, endAtGrantExpiry } = createPresenceGrantCheck(deps.grants, now);

  async function read(userIds: readonly string[]): Promise<PresenceEvent[]> {
    const rows = await repository.read(userIds);
    const staleBefore = cutoff();
    return rows.map((row) => effectivePresence(row, staleBefore));
  }

  const hub = createPresenceHub({
    database: deps.database,
    read,
    requirePresenceGrant,
    cutoff,
    pollIntervalMs: deps.pollIntervalMs ?? DEFAULT_PRESENCE_POLL_INTERVAL_MS,
  });

  /** App user ids named directly or by ACS id; an unknown ACS id counts as not visible. */
  async function resolveTargets(callerId: string, targets: PresenceTargets): Promise<string[]> {
    const acsUserIds = [...new Set(targets.acsUserIds ?? [])];
    const fromAcs = await repository.userIdsOfAcsUsers(acsUserIds);
    const userIds = [...new Set([...(targets.userIds ?? []), ...fromAcs])];
    const hidden = await repository.notVisible(callerId, userIds);
    const unknownAcs = acsUserIds.length - new Set(fromAcs).size;
    if (hidden.length + unknownAcs > 0)
      throw new PresenceNotVisibleError(hidden.length + unknownAcs);
    return userIds;
  }

  async function sweep(): Promise<PresenceSnapshot[]> {
    const events = await repository.sweep(now(), cutoff());
    return events.map(toSnapshot);
  }

  const timer =
    sweepIntervalMs > 0
      ? setInterval(() => {
          // A failed sweep (DB restarting) is retried by the next tick.
          if (!hub.closed) void sweep().catch(() => undefined);
        }, sweepIntervalMs)
      : undefined;
  timer?.unref();

  return {
    timeoutMs,

    /** Sets the caller's state and optional text (omitted text clears it); counts as a heartbeat. */
    async set(
      userId: string,
      input: { state: PresenceState; text?: string | null },
    ): Promise<PresenceSnapshot> {
      await deps.setLimit?.consume(userId);
      await requirePresenceGrant(userId);
      const text = input.text?.trim() ? input.text.trim() : null;
      return toSnapshot(await repository.set(userId, input.state, text, now()));
    },

    /**
     * Keeps the caller online (first heartbeat: `online`); watchers hear only of state changes. Says
     * when to send the next one (timeout / 2.5: two may be lost before the user times out).
     */
    async heartbeat(
      userId: string,
    ): Promise<PresenceSnapshot & { heartbeatIntervalSeconds: number }> {
      await deps.heartbeatLimit?.consume(userId);
      await requirePresenceGrant(userId);
      const snapshot = toSnapshot(await repository.heartbeat(userId, now(), cutoff()));
      return { ...snapshot, heartbeatIntervalSeconds: heartbeatIntervalSeconds(timeoutMs) };
    },

    /** Lets the given users (app or ACS ids, e.g. thread participants) watch the caller's presence. */
    async allow(userId: string, targets: PresenceTargets): Promise<{ allowed: number }> {
      await requirePresenceGrant(userId);
      const fromAcs = await repository.userIdsOfAcsUsers(targets.acsUserIds ?? []);
      return { allowed: await repository.allow(userId, [...(targets.userIds ?? []), ...fromAcs]) };
    },

    /** Records that `userId` put `otherIds` in a chat through the app (visibility both ways). */
    recordChatPairs: (userId: string, otherIds: readonly string[]) =>
      repository.recordChatPairs(userId, otherIds),

    /**
     * Checks grant and visibility, then returns a stream that first yields the current state of every
     * watched user and then each change, until `signal` aborts, the consumer stops, close(), or
     * `watchMaxDurationMs` passes (a normal end: the client resubscribes). It
     * fails when the caller's grant is revoked or expires (FORBIDDEN), or its reader falls more than
     * `watchQueueMax` events behind; at most `watchStreamsPerUser` streams per user (TOO_MANY_REQUESTS).
     */
    async watch(
      userId: string,
      targets: PresenceTargets,
      signal?: AbortSignal,
    ): Promise<AsyncGenerator<PresenceSnapshot>> {
      await requirePresenceGrant(userId);
      const watched = await resolveTargets(userId, targets);
      hub.ensureListening();
      // Counted after the awaits above, so concurrent opens cannot all pass the check.
      if (hub.streamCount(userId) >= watchStreamsPerUser) {
        throw new PresenceWatchLimitError("streams", watchStreamsPerUser);
      }
      // Registered before the snapshot is read, so no change between the two is lost.
      const queue = new EventQueue(watchQueueMax);
      const leave = hub.join(userId, watched, queue);
      let stopExpiryTimer = () => {};
      // A normal end before the host's time limit; the client resubscribes.
      const maxDurationTimer =
        watchMaxDurationMs > 0 ? setTimeout(() => queue.close(), watchMaxDurationMs) : undefined;
      maxDurationTimer?.unref?.();
      const unregister = () => {
        stopExpiryTimer();
        clearTimeout(maxDurationTimer);
        queue.close();
        leave();
      };
      if (hub.closed || signal?.aborted) unregister();
      signal?.addEventListener("abort", unregister, { once: true });
      let initial: PresenceEvent[];
      try {
        // Again now that a revocation notice would reach this stream: none slips in between.
        const expiresOn = await requirePresenceGrant(userId);
        if (!hub.closed && !signal?.aborted)
          stopExpiryTimer = endAtGrantExpiry(userId, expiresOn, queue);
        initial = await read(watched);
        // Other watchers of these users learn what this read found (e.g. a time-out seen on read).
        initial.forEach(hub.dispatch);
      } catch (error) {
        unregister();
        throw error;
      }

      return (async function* stream() {
        const isNews = createNewsFilter();
        try {
          for (const event of initial) if (isNews(event)) yield toSnapshot(event);
          for (let event = await queue.next(); event; event = await queue.next()) {
            if (isNews(event)) yield toSnapshot(event);
          }
        } finally {
          signal?.removeEventListener("abort", unregister);
          unregister();
        }
      })();
    },

    /** Marks users without a heartbeat within the timeout offline and notifies watchers (also run by the timer). */
    sweep,

    /** The effective presence of users (no visibility check: for server-side use). */
    read: async (userIds: readonly string[]) => (await read(userIds)).map(toSnapshot),

    /** Stops the sweeper and the LISTEN, and ends every open watch stream. */
    async close(): Promise<void> {
      clearInterval(timer);
      await hub.close();
    },
  };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
