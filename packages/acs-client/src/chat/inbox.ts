// The thread list of one person, kept alive: per thread its topic, last message and unread count
// (messages from others after the person's own latest read receipt), ordered by activity. Built on
// a ChatSession: its typed events keep it current, and a re-sync after a reconnect (or, without
// push, on an interval) fetches what the events may have missed.
//
// The parts, in inbox/: the per-thread summary rules (thread-entry.ts), the snapshot and listeners
// (inbox-state.ts), the loader (inbox-loader.ts) and the live updates (live-updates.ts).
import { InboxLoader } from "./inbox/inbox-loader";
import { InboxStateStore } from "./inbox/inbox-state";
import { applyInboxEvent } from "./inbox/live-updates";
import type { ChatInboxOptions, InboxMessage, InboxSession, InboxState } from "./inbox/types";
import type { ChatSessionEvent, ConnectionState } from "./types";

export type {
  ChatInboxOptions,
  InboxMessage,
  InboxSession,
  InboxState,
  InboxThread,
} from "./inbox/types";

export class ChatInbox {
  private readonly store = new InboxStateStore();
  private readonly loader: InboxLoader;
  private readonly resyncIntervalMs: number;
  /** Events that arrive while the list loads, applied on top of it. */
  private held: ChatSessionEvent[] | undefined = [];
  private stops: (() => void)[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  /** Stable snapshot (same object until something changes), for useSyncExternalStore. */
  readonly getState: () => InboxState = this.store.getState;
  readonly subscribe: (listener: () => void) => () => void = this.store.subscribe;

  constructor(
    private readonly session: InboxSession,
    options: ChatInboxOptions = {},
  ) {
    this.resyncIntervalMs = options.resyncIntervalMs ?? 15_000;
    this.loader = new InboxLoader(this.store, session, {
      pageSize: options.pageSize ?? 20,
      concurrency: options.concurrency ?? 4,
      detailLimit: options.detailLimit ?? 50,
      releaseHeldEvents: () => this.releaseHeldEvents(),
    });
  }

  /** Subscribes to the session and loads the list; call once. */
  start(): void {
    this.stops.push(this.session.onEvent((event) => this.onEvent(event)));
    let previous: ConnectionState = this.session.getConnectionState();
    this.stops.push(
      this.session.onConnectionState((state) => {
        // Back to live after a gap: the gap may have swallowed events.
        if (state === "live" && previous !== "live" && this.store.ready) void this.resync();
        previous = state;
        this.updateTimer(state);
      }),
    );
    this.updateTimer(previous);
    void this.resync();
  }

  dispose(): void {
    this.store.dispose();
    for (const stop of this.stops.splice(0)) stop();
    clearInterval(this.timer);
  }

  /**
   * Called for each message from someone else that is newer than anything known of its thread
   * (live, or found by a re-sync), never for history. For notifications.
   */
  onNewMessage(listener: (threadId: string, message: InboxMessage) => void): () => void {
    return this.store.onNewMessage(listener);
  }

  /**
   * Reads the thread list and refreshes the threads whose activity is newer than known (all of
   * them the first time). Re-syncs never overlap: one asked for during a run runs after it.
   */
  resync(): Promise<void> {
    return this.loader.resync();
  }

  private onEvent(event: ChatSessionEvent): void {
    if (this.store.disposed) return;
    if (this.held) {
      this.held.push(event);
      return;
    }
    this.apply(event);
  }

  private apply(event: ChatSessionEvent): void {
    applyInboxEvent(event, this.store, this.loader, this.session.acsUserId);
  }

  private releaseHeldEvents(): void {
    const held = this.held;
    this.held = undefined;
    for (const event of held ?? []) this.apply(event);
  }

  private updateTimer(state: ConnectionState): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (state === "live" || this.store.disposed) return;
    this.timer = setInterval(() => void this.resync(), this.resyncIntervalMs);
  }
}
