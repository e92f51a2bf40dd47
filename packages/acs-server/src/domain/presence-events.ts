// What a presence change is to readers: the snapshot callers see, the order of two events of one
// user, and the lazy expiry a reader applies (a silent user is offline when read, sweeper or not).
import type { PresenceState } from "../contract";
import type { PresenceEvent, PresenceRepository } from "../db/presence";

/** What callers and watchers see. `lastSeen` null: the user never reported presence. */
export interface PresenceSnapshot {
  userId: string;
  acsUserId: string | null;
  state: PresenceState;
  text: string | null;
  lastSeen: string | null;
}

/** A presence row as the repository reads it (the state columns are null before the first report). */
type StoredPresence = Awaited<ReturnType<PresenceRepository["read"]>>[number];

/**
 * Whether `event` shows a later moment of the user's row than `known`: a higher revision; at the same
 * revision a later heartbeat, or the time-out a reader computed (online → offline, lazy expiry).
 */
export function isLater(event: PresenceEvent, known: PresenceEvent | undefined): boolean {
  if (!known) return true;
  if (event.revision !== known.revision) return event.revision > known.revision;
  // ISO strings of one format compare as times; null (never seen) is earliest.
  const seen = (event.lastSeen ?? "").localeCompare(known.lastSeen ?? "");
  if (seen !== 0) return seen > 0;
  return known.state !== "offline" && event.state === "offline";
}

export function toSnapshot(event: PresenceEvent): PresenceSnapshot {
  return {
    userId: event.userId,
    acsUserId: event.acsUserId,
    state: event.state,
    text: event.text,
    lastSeen: event.lastSeen,
  };
}

/** The event a reader sees for `row`: offline once its heartbeat is older than `staleBefore`. */
export function effectivePresence(row: StoredPresence, staleBefore: Date): PresenceEvent {
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
}

/**
 * A filter for one stream: true for an event later than what the stream has sent and that its
 * reader can see (a change of state, text or last-seen; not a mere heartbeat at one revision).
 */
export function createNewsFilter(): (event: PresenceEvent) => boolean {
  const latest = new Map<string, PresenceEvent>();
  return (event) => {
    const seen = latest.get(event.userId);
    if (!isLater(event, seen)) return false;
    latest.set(event.userId, event);
    if (!seen) return true;
    if (seen.revision === event.revision) return seen.state !== event.state;
    return (
      seen.state !== event.state || seen.text !== event.text || seen.lastSeen !== event.lastSeen
    );
  };
}
