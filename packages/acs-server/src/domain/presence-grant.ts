// Presence is allowed only under a current token grant that includes the "presence" scope; a watch
// stream ends when that grant expires, unless a refresh issued a later one.
import type { GrantRepository } from "../db/grants";
import { PresenceNotGrantedError } from "../errors";
import type { EventQueue } from "./presence-event-queue";

/** The longest setTimeout delay; a later grant expiry is checked again when it fires. */
const MAX_TIMER_MS = 2_147_483_647;

export function createPresenceGrantCheck(grants: GrantRepository, now: () => Date) {
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

  return { requirePresenceGrant, endAtGrantExpiry };
}
