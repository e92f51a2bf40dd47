// Presence: set/heartbeat/watch under the caller's presence grant, the visibility rule, the sweeper
// that announces time-outs, and the in-process hub that fans changes out to watchers.
//
// Nothing here depends on a background timer or on LISTEN staying up (serverless hosts such as Vercel
// run code only while a request is in flight): a silent user is offline when READ (lazy expiry), and
// while watch streams are open a per-process tick polls the database whenever LISTEN is unavailable or
// deaf, and re-reads watched users whose last heartbeat has gone stale. Streams end after
// `watchMaxDurationMs` (before the host's function time limit); the client then resubscribes.
import { randomUUID } from "node:crypto";

import type { Database } from "../db";
import type { GrantRepository } from "../db/grants";
import type { PresenceEvent, PresenceRepository, PresenceState } from "../db/presence";
import { PRESENCE_CHANNEL, parsePresenceNotification, serializeListenPing } from "../db/presence";
import {
  PresenceNotGrantedError,
  PresenceNotVisibleError,
  PresenceWatchLimitError,
} from "../errors";
import type { CallLimit } from "./call-limits";

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
/** The longest setTimeout delay; a later grant expiry is checked again when it fires. */
const MAX_TIMER_MS = 2_147_483_647;

/** Heartbeats per minute a user may send: four times the pace the server asks for (tab switches and reconnects send extra ones). */
export function defaultHeartbeatsPerMinute(timeoutMs: number): number {
  return Math.ceil((4 * 60) / heartbeatIntervalSeconds(timeoutMs));
}

/** timeout / 2.5: two heartbeats may be lost before the user times out. */
function heartbeatIntervalSeconds(timeoutMs: number): number {
  return Math.max(1, Math.floor(timeoutMs / 2500));
}

/** What callers and watchers see. `lastSeen` null: the user never reported presence. */
export interface PresenceSnapshot {
  userId: string;
  acsUserId: string | null;
  state: PresenceState;
  text: string | null;
  lastSeen: string | null;
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

/**
 * Whether `event` shows a later moment of the user's row than `known`: a higher revision; at the same
 * revision a later heartbeat, or the time-out a reader computed (online → offline, lazy expiry).
 */
function isLater(event: PresenceEvent, known: PresenceEvent | undefined): boolean {
  if (!known) return true;
  if (event.revision !== known.revision) return event.revision > known.revision;
  // ISO strings of one format compare as times; null (never seen) is earliest.
  const seen = (event.lastSeen ?? "").localeCompare(known.lastSeen ?? "");
  if (seen !== 0) return seen > 0;
  return known.state !== "offline" && event.state === "offline";
}

function toSnapshot(event: PresenceEvent): PresenceSnapshot {
  return {
    userId: event.userId,
    acsUserId: event.acsUserId,
    state: event.state,
    text: event.text,
    lastSeen: event.lastSeen,
  };
}

/**
 * Per-watcher queue of at most `max` events (past that the stream fails rather than grow); `next()`
 * resolves undefined once closed, or throws once failed.
 */
class EventQueue {
  private readonly items: PresenceEvent[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  private failure: Error | undefined;

  constructor(private readonly max: number) {}

  /** Ends the stream with `error` (after nothing else: pending events are dropped). */
  fail(error: Error): void {
    this.failure ??= error;
    this.close();
  }

  push(event: PresenceEvent): void {
    if (this.closed) return;
    if (this.items.length >= this.max)
      return this.fail(new PresenceWatchLimitError("overflow", this.max));
    this.items.push(event);
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async next(): Promise<PresenceEvent | undefined> {
    for (;;) {
      if (this.failure) throw this.failure;
      const event = this.items.shift();
      if (event) return event;
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

export function createPresenceService(deps: PresenceServiceDeps) {
  const { database, repository, grants, now } = deps;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_PRESENCE_TIMEOUT_MS;
  const sweepIntervalMs = deps.sweepIntervalMs ?? DEFAULT_PRESENCE_SWEEP_INTERVAL_MS;
  const cutoff = () => new Date(now().getTime() - timeoutMs);
  const watchStreamsPerUser = deps.watchStreamsPerUser ?? DEFAULT_PRESENCE_WATCH_STREAMS_PER_USER;
  const watchQueueMax = deps.watchQueueMax ?? DEFAULT_PRESENCE_WATCH_QUEUE_MAX;
  const pollIntervalMs = deps.pollIntervalMs ?? DEFAULT_PRESENCE_POLL_INTERVAL_MS;
  const watchMaxDurationMs = deps.watchMaxDurationMs ?? DEFAULT_PRESENCE_WATCH_MAX_DURATION_MS;

  /** userId → the queues of this process's watchers of that user. */
  const watchers = new Map<string, Set<EventQueue>>();
  /** watching userId → the queues of that user's open streams (ended when their grants are revoked). */
  const streamsOf = new Map<string, Set<EventQueue>>();
  /** The latest state this process has seen of each watched user (decides who is due for a re-read). */
  const known = new Map<string, PresenceEvent>();
  let listening: Promise<() => Promise<void>> | undefined;
  /** LISTEN is active (database.listen resolved). */
  let listenOpen = false;
  /** LISTEN is active but our last ping did not come back (a pooler that drops it, a lost connection). */
  let listenDeaf = false;
  let pingOutstanding: string | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let ticking = false;
  let closed = false;

  function dispatch(event: PresenceEvent): void {
    const queues = watchers.get(event.userId);
    if (!queues) return;
    if (isLater(event, known.get(event.userId))) known.set(event.userId, event);
    for (const queue of queues) queue.push(event);
  }

  function onNotification(payload: string): void {
    let notice: ReturnType<typeof parsePresenceNotification>;
    try {
      notice = parsePresenceNotification(payload);
    } catch {
      return; // Not ours to understand; never let a bad payload stop the listener.
    }
    if ("listenPing" in notice) {
      if (notice.listenPing !== pingOutstanding) return; // another instance's
      pingOutstanding = undefined;
      if (listenDeaf) {
        listenDeaf = false;
        resync(); // back from polling: catch up once
      }
      return;
    }
    if ("grantsRevokedFor" in notice) {
      for (const queue of streamsOf.get(notice.grantsRevokedFor) ?? [])
        queue.fail(new PresenceNotGrantedError("revoked"));
      return;
    }
    dispatch(notice);
  }

  /** After a lost or late LISTEN: notifications may be missing, so re-send the current state. */
  function resync(): void {
    if (watchers.size === 0) return;
    void read([...watchers.keys()])
      .then((events) => events.forEach(dispatch))
      .catch(() => undefined);
  }

  /**
   * One LISTEN per process, opened with the first watcher and retried by the tick after a failure.
   * Never awaited by a watch: until it is active (or when it rejects) the tick polls instead.
   */
  function ensureListening(): void {
    if (listening || closed) return;
    const opening = database.listen(PRESENCE_CHANNEL, onNotification, { onReconnect: resync });
    listening = opening;
    opening.then(
      () => {
        listenOpen = true;
        listenDeaf = false;
        pingOutstanding = undefined;
        resync(); // changes made before LISTEN was active were only polled, if at all
      },
      () => {
        if (listening === opening) listening = undefined;
        listenOpen = false;
      },
    );
  }

  /** Whether changes must be polled: LISTEN is not active, or it stopped delivering. */
  function mustPoll(): boolean {
    return !listenOpen || listenDeaf;
  }

  /** Checks LISTEN by sending ourselves a ping; one not back by the next tick marks LISTEN deaf. */
  function checkListen(): void {
    if (!listenOpen) return ensureListening();
    if (pingOutstanding) listenDeaf = true;
    const ping = randomUUID();
    pingOutstanding = ping;
    database.notify(PRESENCE_CHANNEL, serializeListenPing(ping)).catch(() => {
      if (pingOutstanding === ping) listenDeaf = true;
    });
  }

  /** Watched users believed online whose last heartbeat is older than the time-out. */
  function dueForExpiry(): string[] {
    const staleBefore = cutoff().toISOString();
    return [...watchers.keys()].filter((userId) => {
      const event = known.get(userId);
      return (
        event !== undefined &&
        event.state !== "offline" &&
        event.lastSeen !== null &&
        event.lastSeen < staleBefore
      );
    });
  }

  /** Without LISTEN no revocation notice arrives: look at each watching user's grant instead. */
  async function endStreamsWithoutGrant(): Promise<void> {
    for (const [userId, queues] of [...streamsOf]) {
      try {
        await requirePresenceGrant(userId);
      } catch (error) {
        if (!(error instanceof PresenceNotGrantedError)) throw error;
        for (const queue of queues) queue.fail(error);
      }
    }
  }

  /**
   * One tick while watchers exist: the LISTEN check, then a poll of every watched user (LISTEN
   * unavailable) or only of those whose heartbeat went stale (their time-out, computed on read).
   */
  async function tick(): Promise<void> {
    if (ticking || closed || watchers.size === 0) return;
    ticking = true;
    try {
      checkListen();
      const polling = mustPoll();
      const userIds = polling ? [...watchers.keys()] : dueForExpiry();
      if (userIds.length > 0) (await read(userIds)).forEach(dispatch);
      if (polling) await endStreamsWithoutGrant();
    } catch {
      // The database is away: the next tick tries again.
    } finally {
      ticking = false;
    }
  }

  /** The tick runs only while this process has watchers (inside their requests, also on serverless). */
  function updateTicker(): void {
    if (watchers.size > 0 && !ticker && !closed && pollIntervalMs > 0) {
      ticker = setInterval(() => void tick(), pollIntervalMs);
      ticker.unref?.();
    } else if ((watchers.size === 0 || closed) && ticker) {
      clearInterval(ticker);
      ticker = undefined;
    }
  }

  async function read(userIds: readonly string[]): Promise<PresenceEvent[]> {
    const rows = await repository.read(userIds);
    const staleBefore = cutoff();
    return rows.map((row) => {
      if (row.state === null || row.lastSeen === null) {
        return {
          userId: row.userId,
          acsUserId: row.acsUserId,
          state: "offline",
          text: null,
          lastSeen: null,
          revision: 0,
        };
      }
      // Readers never see a stale `online`, even before the sweeper ran.
      const timedOut = row.timedOutAt !== null || row.lastSeen < staleBefore;
      return {
        userId: row.userId,
        acsUserId: row.acsUserId,
        state: timedOut ? "offline" : row.state,
        text: timedOut ? null : row.text,
        lastSeen: row.lastSeen.toISOString(),
        revision: row.revision ?? 0,
      };
    });
  }

  /** The caller's current grant with presence (else PresenceNotGrantedError); returns when it expires. */
  async function requirePresenceGrant(userId: string): Promise<Date> {
    const grant = await grants.current(userId);
    if (!grant) throw new PresenceNotGrantedError("none");
    if (grant.revokedAt) throw new PresenceNotGrantedError("revoked");
    if (grant.expiresOn.getTime() <= now().getTime()) throw new PresenceNotGrantedError("expired");
    if (!grant.scopes.includes("presence")) throw new PresenceNotGrantedError("scope");
    return grant.expiresOn;
  }

  /**
   * Ends `queue` with "expired" when the grant that expires at `expiresOn` does, unless a newer grant
   * (a refresh) expires later: then it waits for that one. Returns a function that stops the timer.
   */
  function endAtGrantExpiry(userId: string, expiresOn: Date, queue: EventQueue): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const arm = (until: Date) => {
      const delay = until.getTime() - now().getTime();
      timer = setTimeout(() => void check(until), Math.min(Math.max(0, delay), MAX_TIMER_MS));
      timer.unref?.();
    };
    const check = async (armedFor: Date) => {
      if (stopped) return;
      if (armedFor.getTime() - now().getTime() > MAX_TIMER_MS) return arm(armedFor);
      let next: Date | undefined;
      try {
        const latest = await requirePresenceGrant(userId);
        if (latest.getTime() > armedFor.getTime()) next = latest;
      } catch (error) {
        if (!(error instanceof PresenceNotGrantedError))
          return arm(new Date(now().getTime() + 5_000)); // DB hiccup: look again soon.
      }
      if (stopped) return;
      if (next) arm(next);
      else queue.fail(new PresenceNotGrantedError("expired"));
    };
    arm(expiresOn);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

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
          if (!closed) void sweep().catch(() => undefined);
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
      ensureListening();
      // Counted after the awaits above, so concurrent opens cannot all pass the check.
      if ((streamsOf.get(userId)?.size ?? 0) >= watchStreamsPerUser) {
        throw new PresenceWatchLimitError("streams", watchStreamsPerUser);
      }
      // Registered before the snapshot is read, so no change between the two is lost.
      const queue = new EventQueue(watchQueueMax);
      const add = (map: Map<string, Set<EventQueue>>, key: string) => {
        const set = map.get(key) ?? new Set<EventQueue>();
        set.add(queue);
        map.set(key, set);
      };
      const remove = (map: Map<string, Set<EventQueue>>, key: string) => {
        const set = map.get(key);
        set?.delete(queue);
        if (set?.size === 0) {
          map.delete(key);
          if (map === watchers) known.delete(key);
        }
      };
      for (const id of watched) add(watchers, id);
      add(streamsOf, userId);
      updateTicker();
      let stopExpiryTimer = () => {};
      // A normal end before the host's time limit; the client resubscribes.
      const maxDurationTimer =
        watchMaxDurationMs > 0 ? setTimeout(() => queue.close(), watchMaxDurationMs) : undefined;
      maxDurationTimer?.unref?.();
      const unregister = () => {
        stopExpiryTimer();
        clearTimeout(maxDurationTimer);
        queue.close();
        for (const id of watched) remove(watchers, id);
        remove(streamsOf, userId);
        updateTicker();
      };
      if (closed || signal?.aborted) unregister();
      signal?.addEventListener("abort", unregister, { once: true });
      let initial: PresenceEvent[];
      try {
        // Again now that a revocation notice would reach this stream: none slips in between.
        const expiresOn = await requirePresenceGrant(userId);
        if (!closed && !signal?.aborted)
          stopExpiryTimer = endAtGrantExpiry(userId, expiresOn, queue);
        initial = await read(watched);
        // Other watchers of these users learn what this read found (e.g. a time-out seen on read).
        initial.forEach(dispatch);
      } catch (error) {
        unregister();
        throw error;
      }

      return (async function* stream() {
        const latest = new Map<string, PresenceEvent>();
        /** Later than what this stream has, and a change its reader can see (not a mere heartbeat). */
        const isNews = (event: PresenceEvent) => {
          const seen = latest.get(event.userId);
          if (!isLater(event, seen)) return false;
          latest.set(event.userId, event);
          if (!seen) return true;
          if (seen.revision === event.revision) return seen.state !== event.state;
          return (
            seen.state !== event.state ||
            seen.text !== event.text ||
            seen.lastSeen !== event.lastSeen
          );
        };
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
      closed = true;
      clearInterval(timer);
      for (const set of watchers.values()) for (const queue of set) queue.close();
      watchers.clear();
      streamsOf.clear();
      known.clear();
      updateTicker();
      const unlisten = await listening?.catch(() => undefined);
      await unlisten?.();
    },
  };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
