// The inbox's threads and the listeners that follow them: a stable snapshot for
// useSyncExternalStore (the same object until something changes) and the new-message notifiers.
import type { ChatMessageView } from "../types";
import { createEntry, inboxMessageOf, inboxStateOf } from "./thread-entry";
import type { InboxEntry } from "./thread-entry";
import type { InboxMessage, InboxState } from "./types";

const EMPTY_STATE: InboxState = {
  threads: [],
  totalUnread: 0,
  totalUnreadMore: false,
  ready: false,
  error: undefined,
};

export class InboxStateStore {
  readonly entries = new Map<string, InboxEntry>();
  /** The first load finished. */
  ready = false;
  /** Why the last load or re-sync failed; cleared by the next success. */
  error: unknown;
  disposed = false;
  private state: InboxState = EMPTY_STATE;
  private dirty = true;
  private readonly listeners = new Set<() => void>();
  private readonly messageListeners = new Set<(threadId: string, message: InboxMessage) => void>();

  readonly getState = (): InboxState => {
    if (!this.dirty) return this.state;
    this.state = inboxStateOf(this.entries.values(), { ready: this.ready, error: this.error });
    this.dirty = false;
    return this.state;
  };

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  onNewMessage(listener: (threadId: string, message: InboxMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** The thread's entry, created (empty, not detailed) when unknown. */
  entryFor(threadId: string, topic = ""): InboxEntry {
    let entry = this.entries.get(threadId);
    if (!entry) {
      entry = createEntry(threadId, topic, Date.now());
      this.entries.set(threadId, entry);
    }
    return entry;
  }

  /** `entry` is still the inbox's entry of its thread (not dropped or replaced meanwhile). */
  isCurrent(entry: InboxEntry): boolean {
    return !this.disposed && this.entries.get(entry.id) === entry;
  }

  /** Marks the snapshot stale (and `entry`'s summary) and tells the listeners. */
  changed(entry?: InboxEntry): void {
    if (entry) entry.view = undefined;
    this.dirty = true;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A UI listener's failure must not stop delivery.
      }
    }
  }

  /** Tells the new-message listeners about a message from someone else. */
  announce(entry: InboxEntry, message: ChatMessageView): void {
    const view = inboxMessageOf(entry, message);
    for (const listener of [...this.messageListeners]) {
      try {
        listener(entry.id, view);
      } catch {
        // A notifier's failure must not stop the others.
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.messageListeners.clear();
  }
}
