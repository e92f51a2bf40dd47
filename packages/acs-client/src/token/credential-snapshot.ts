// The credential's observable state for UIs: a snapshot that stays the same object until something
// a UI shows changes (useSyncExternalStore), and the listeners told when it does.
import type { CredentialSnapshot } from "./types";

function sameSnapshot(a: CredentialSnapshot, b: CredentialSnapshot): boolean {
  return (
    a.status === b.status &&
    a.expiresOn?.getTime() === b.expiresOn?.getTime() &&
    a.lastError === b.lastError &&
    a.fetchCount === b.fetchCount &&
    a.clockSkewMs === b.clockSkewMs &&
    a.acsUserId === b.acsUserId
  );
}

export class SnapshotPublisher {
  private snapshot: CredentialSnapshot;
  private readonly listeners = new Set<(snapshot: CredentialSnapshot) => void>();

  constructor(private readonly compute: () => CredentialSnapshot) {
    this.snapshot = compute();
  }

  /** The current snapshot (the previous object while nothing shown changed). */
  get(): CredentialSnapshot {
    const next = this.compute();
    if (!sameSnapshot(next, this.snapshot)) this.snapshot = next;
    return this.snapshot;
  }

  /** Recomputes and tells the listeners when something changed. */
  notify(): void {
    const next = this.compute();
    if (sameSnapshot(next, this.snapshot)) return;
    this.snapshot = next;
    for (const listener of [...this.listeners]) {
      try {
        listener(next);
      } catch {
        // A broken UI listener must not break token delivery.
      }
    }
  }

  subscribe(listener: (snapshot: CredentialSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  clear(): void {
    this.listeners.clear();
  }
}
