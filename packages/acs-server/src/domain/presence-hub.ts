// The in-process hub that fans presence changes out to this process's watch streams: one LISTEN per
// process and, while streams are open, a tick that checks LISTEN still delivers, polls the database
// when it does not, and re-reads watched users whose last heartbeat has gone stale.
import { randomUUID } from "node:crypto";

import type { Database } from "../db";
import type { PresenceEvent } from "../db/presence";
import { PRESENCE_CHANNEL, parsePresenceNotification, serializeListenPing } from "../db/presence";
import { PresenceNotGrantedError } from "../errors";
import type { EventQueue } from "./presence-event-queue";
import { isLater } from "./presence-events";

export interface PresenceHubDeps {
  database: Database;
  /** The effective presence of users, time-outs applied. */
  read: (userIds: readonly string[]) => Promise<PresenceEvent[]>;
  /** Throws PresenceNotGrantedError when the user's grant no longer allows presence. */
  requirePresenceGrant: (userId: string) => Promise<Date>;
  /** Heartbeats before this moment are stale. */
  cutoff: () => Date;
  /** 0 disables the tick (LISTEN alone, as on one long-lived server). */
  pollIntervalMs: number;
}

export function createPresenceHub(deps: PresenceHubDeps) {
  const { database, read, requirePresenceGrant, cutoff, pollIntervalMs } = deps;
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

  return {
    dispatch,
    ensureListening,

    get closed() {
      return closed;
    },

    /** Open streams of `userId` on this process. */
    streamCount: (userId: string) => streamsOf.get(userId)?.size ?? 0,

    /**
     * Delivers changes of `watched` users to `queue`, a stream of `userId` (which a revocation of that
     * user's grants ends). Returns the function that stops the delivery.
     */
    join(userId: string, watched: readonly string[], queue: EventQueue): () => void {
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
      return () => {
        for (const id of watched) remove(watchers, id);
        remove(streamsOf, userId);
        updateTicker();
      };
    },

    /** Ends every stream and the LISTEN. */
    async close(): Promise<void> {
      closed = true;
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
