// The thread list of one person, kept alive: per thread its topic, last message and unread count
// (messages from others after the person's own latest read receipt), ordered by activity. Built on
// a ChatSession: its typed events keep it current, and a re-sync after a reconnect (or, without
// push, on an interval) fetches what the events may have missed.
import type { ChatMessage, ChatThreadClient } from "@azure/communication-chat";
import { identifierId, messageFromSdk, participantFromSdk } from "./mapping";
import { messageOrderKey } from "./message-store";
import type { ChatSession } from "./session";
import type { ChatMessageView, ChatSessionEvent, ConnectionState } from "./types";

export interface InboxMessage {
  readonly id: string;
  /** The participant list's name for the sender ("" for your own messages: show "You"). */
  readonly senderName: string;
  readonly text: string;
  readonly createdOn: Date;
  readonly mine: boolean;
}

export interface InboxThread {
  readonly id: string;
  readonly topic: string;
  /** The newest text message that is not deleted, when one is known. */
  readonly lastMessage?: InboxMessage;
  /** Newest activity (any message, system messages included); orders the list. */
  readonly lastActivity?: Date;
  /** Messages from others after your own latest read receipt. */
  readonly unread: number;
  /** `unread` is a lower bound: older unread messages exist beyond the page that was read. */
  readonly unreadMore: boolean;
}

export interface InboxState {
  /** Newest activity first. */
  readonly threads: readonly InboxThread[];
  readonly totalUnread: number;
  /** Some thread's count is a lower bound ("20+"). */
  readonly totalUnreadMore: boolean;
  /** The first load finished (threads and their details). */
  readonly ready: boolean;
  /** Why the last load or re-sync failed; cleared by the next success. */
  readonly error: unknown;
}

export interface ChatInboxOptions {
  /** Messages read per thread on load and re-sync (one page). Default 20. */
  pageSize?: number;
  /** Threads whose details are fetched at once. Default 4. */
  concurrency?: number;
  /** Only the newest this many threads get their details (last message, count). Default 50. */
  detailLimit?: number;
  /** Re-sync interval while push is not live. Default 15 000 ms. */
  resyncIntervalMs?: number;
}

/** What the inbox needs from a session (a ChatSession satisfies it). */
export type InboxSession = Pick<
  ChatSession,
  | "acsUserId"
  | "listThreads"
  | "threadClient"
  | "onEvent"
  | "getConnectionState"
  | "onConnectionState"
>;

/** How old a message of a thread without details may be and still be announced as new. */
const RECENT_MS = 5 * 60_000;
const TEXT_TYPES = new Set(["text", "html"]);
const isText = (m: Pick<ChatMessageView, "type">) => TEXT_TYPES.has(m.type.toLowerCase());

interface Entry {
  id: string;
  topic: string;
  /** Known messages of the newest page and since, by id (bounded by `trim`). */
  recent: Map<string, ChatMessageView>;
  newestKey: number;
  lastActivity?: Date;
  /** Order key of this person's latest read receipt. */
  readUpTo: number;
  unreadIds: Set<string>;
  unreadMore: boolean;
  /** Oldest key of the page the count was taken from (older unread ones are not known). */
  pageFloor: number;
  participants?: Map<string, string | undefined>;
  detailed: boolean;
  /** When the entry was created (a list read before it must not remove it). */
  createdAt: number;
  view?: InboxThread;
}

const EMPTY_STATE: InboxState = {
  threads: [],
  totalUnread: 0,
  totalUnreadMore: false,
  ready: false,
  error: undefined,
};

/** Runs `tasks` with at most `limit` in flight; never rejects (each task handles its own errors). */
async function runBounded(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

export class ChatInbox {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private readonly messageListeners = new Set<(threadId: string, message: InboxMessage) => void>();
  private readonly pageSize: number;
  private readonly concurrency: number;
  private readonly detailLimit: number;
  private readonly resyncIntervalMs: number;
  private state: InboxState = EMPTY_STATE;
  private dirty = true;
  private ready = false;
  private error: unknown;
  private held: ChatSessionEvent[] | undefined = [];
  private stops: (() => void)[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private disposed = false;
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private readonly loadingParticipants = new Map<string, Promise<void>>();
  private readonly loadingDetails = new Map<string, Promise<void>>();

  constructor(
    private readonly session: InboxSession,
    options: ChatInboxOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 20;
    this.concurrency = options.concurrency ?? 4;
    this.detailLimit = options.detailLimit ?? 50;
    this.resyncIntervalMs = options.resyncIntervalMs ?? 15_000;
  }

  /** Subscribes to the session and loads the list; call once. */
  start(): void {
    this.stops.push(this.session.onEvent((event) => this.onEvent(event)));
    let previous: ConnectionState = this.session.getConnectionState();
    this.stops.push(
      this.session.onConnectionState((state) => {
        // Back to live after a gap: the gap may have swallowed events.
        if (state === "live" && previous !== "live" && this.ready) void this.resync();
        previous = state;
        this.updateTimer(state);
      }),
    );
    this.updateTimer(previous);
    void this.resync();
  }

  dispose(): void {
    this.disposed = true;
    for (const stop of this.stops.splice(0)) stop();
    clearInterval(this.timer);
    this.listeners.clear();
    this.messageListeners.clear();
  }

  // --- reading -----------------------------------------------------------------------------

  /** Stable snapshot (same object until something changes), for useSyncExternalStore. */
  getState = (): InboxState => {
    if (!this.dirty) return this.state;
    const threads = [...this.entries.values()].map((e) => this.viewOf(e));
    threads.sort(
      (a, b) =>
        (b.lastActivity?.getTime() ?? 0) - (a.lastActivity?.getTime() ?? 0) ||
        a.id.localeCompare(b.id),
    );
    this.state = {
      threads,
      totalUnread: threads.reduce((sum, t) => sum + t.unread, 0),
      totalUnreadMore: threads.some((t) => t.unreadMore),
      ready: this.ready,
      error: this.error,
    };
    this.dirty = false;
    return this.state;
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Called for each message from someone else that is newer than anything known of its thread
   * (live, or found by a re-sync), never for history. For notifications.
   */
  onNewMessage(listener: (threadId: string, message: InboxMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  private viewOf(entry: Entry): InboxThread {
    if (entry.view) return entry.view;
    let last: ChatMessageView | undefined;
    for (const m of entry.recent.values())
      if (isText(m) && !m.deletedOn && (!last || messageOrderKey(m) > messageOrderKey(last)))
        last = m;
    entry.view = {
      id: entry.id,
      topic: entry.topic,
      lastMessage: last && this.inboxMessage(entry, last),
      lastActivity: entry.lastActivity,
      unread: entry.unreadIds.size,
      unreadMore: entry.unreadMore,
    };
    return entry.view;
  }

  private inboxMessage(entry: Entry, m: ChatMessageView): InboxMessage {
    const listed = m.senderId === undefined ? undefined : entry.participants?.get(m.senderId);
    return {
      id: m.id,
      senderName: m.mine ? "" : (listed ?? m.senderName),
      text: m.content,
      createdOn: m.createdOn,
      mine: m.mine,
    };
  }

  private changed(entry?: Entry): void {
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

  // --- applying ----------------------------------------------------------------------------

  private entryFor(threadId: string, topic = ""): Entry {
    let entry = this.entries.get(threadId);
    if (!entry) {
      entry = {
        id: threadId,
        topic,
        recent: new Map(),
        newestKey: Number.NEGATIVE_INFINITY,
        readUpTo: Number.NEGATIVE_INFINITY,
        unreadIds: new Set(),
        unreadMore: false,
        pageFloor: Number.NEGATIVE_INFINITY,
        detailed: false,
        createdAt: Date.now(),
      };
      this.entries.set(threadId, entry);
    }
    return entry;
  }

  /** Merges one message; true when it is newer than anything known of the thread. */
  private applyMessage(entry: Entry, message: ChatMessageView): boolean {
    const key = messageOrderKey(message);
    const known = entry.recent.get(message.id);
    if (!known || Number(message.version ?? 0) >= Number(known.version ?? 0))
      entry.recent.set(message.id, message);
    const counts = !message.mine && isText(message) && !message.deletedOn && key > entry.readUpTo;
    if (counts) entry.unreadIds.add(message.id);
    else entry.unreadIds.delete(message.id);
    if (!entry.lastActivity || message.createdOn > entry.lastActivity)
      entry.lastActivity = message.createdOn;
    const isNewest = key > entry.newestKey;
    if (isNewest) entry.newestKey = key;
    this.trim(entry);
    return isNewest;
  }

  /** Keeps the newest page of messages (enough to find the last text message after deletions). */
  private trim(entry: Entry): void {
    const limit = this.pageSize * 2;
    if (entry.recent.size <= limit) return;
    const keep = [...entry.recent.values()]
      .sort((a, b) => messageOrderKey(b) - messageOrderKey(a))
      .slice(0, limit);
    entry.recent = new Map(keep.map((m) => [m.id, m]));
  }

  private applyOwnReceipt(entry: Entry, messageId: string): void {
    const key = Number(messageId);
    if (!Number.isFinite(key) || key <= entry.readUpTo) return;
    entry.readUpTo = key;
    for (const id of [...entry.unreadIds]) if (Number(id) <= key) entry.unreadIds.delete(id);
    if (key >= entry.pageFloor) entry.unreadMore = false;
  }

  private onEvent(event: ChatSessionEvent): void {
    if (this.disposed) return;
    if (this.held) {
      this.held.push(event);
      return;
    }
    this.apply(event);
  }

  private apply(event: ChatSessionEvent): void {
    const self = this.session.acsUserId;
    switch (event.kind) {
      case "messageReceived":
      case "messageEdited": {
        const entry = this.entryFor(event.threadId);
        const isNewest = this.applyMessage(entry, event.message);
        this.changed(entry);
        const m = event.message;
        if (!entry.detailed) this.loadInBackground(entry);
        else if (!m.mine && m.senderId && !entry.participants?.has(m.senderId))
          void this.loadParticipants(entry);
        // A thread without details yet may be loading its history (opened beyond the detail
        // limit): only a recent message there is news.
        const live = entry.detailed || Date.now() - m.createdOn.getTime() < RECENT_MS;
        if (
          event.kind === "messageReceived" &&
          this.ready &&
          isNewest &&
          live &&
          !m.mine &&
          isText(m) &&
          !m.deletedOn
        )
          this.announce(entry, m);
        return;
      }
      case "messageDeleted": {
        const entry = this.entries.get(event.threadId);
        if (!entry) return;
        const known = entry.recent.get(event.messageId);
        if (known) entry.recent.set(known.id, { ...known, deletedOn: event.deletedOn });
        entry.unreadIds.delete(event.messageId);
        this.changed(entry);
        return;
      }
      case "readReceipt": {
        if (event.receipt.acsUserId !== self) return;
        const entry = this.entries.get(event.threadId);
        if (!entry) return;
        this.applyOwnReceipt(entry, event.receipt.messageId);
        this.changed(entry);
        return;
      }
      case "threadCreated": {
        const entry = this.entryFor(event.threadId, event.topic);
        entry.topic = event.topic || entry.topic;
        this.changed(entry);
        if (!entry.detailed) this.loadInBackground(entry);
        return;
      }
      case "threadUpdated": {
        const entry = this.entries.get(event.threadId);
        if (!entry || event.topic === undefined) return;
        entry.topic = event.topic;
        this.changed(entry);
        return;
      }
      case "threadDeleted":
        if (this.entries.delete(event.threadId)) this.changed();
        return;
      case "participantsAdded": {
        const entry = this.entryFor(event.threadId);
        for (const p of event.participants) entry.participants?.set(p.acsUserId, p.displayName);
        this.changed(entry);
        // Added to a thread: it appears in the list with its history.
        if (!entry.detailed) this.loadInBackground(entry);
        return;
      }
      case "participantsRemoved": {
        if (event.participants.some((p) => p.acsUserId === self)) {
          if (this.entries.delete(event.threadId)) this.changed();
          return;
        }
        const entry = this.entries.get(event.threadId);
        if (!entry) return;
        for (const p of event.participants) entry.participants?.delete(p.acsUserId);
        this.changed(entry);
        return;
      }
      default:
        return;
    }
  }

  private announce(entry: Entry, message: ChatMessageView): void {
    const view = this.inboxMessage(entry, message);
    for (const listener of [...this.messageListeners]) {
      try {
        listener(entry.id, view);
      } catch {
        // A notifier's failure must not stop the others.
      }
    }
  }

  // --- loading -----------------------------------------------------------------------------

  /**
   * Reads the thread list and refreshes the threads whose activity is newer than known (all of
   * them the first time). Re-syncs never overlap: one asked for during a run runs after it.
   */
  resync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.syncAgain = false;
        await this.syncOnce();
      } while (this.syncAgain && !this.disposed);
    })().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const startedAt = Date.now();
    try {
      const listed = (await this.session.listThreads()).filter((t) => !t.deletedOn);
      if (this.disposed) return;
      const seen = new Set(listed.map((t) => t.id));
      for (const [id, entry] of [...this.entries])
        if (!seen.has(id) && entry.createdAt < startedAt) this.entries.delete(id);
      const stale: Entry[] = [];
      listed.forEach((t, index) => {
        const entry = this.entryFor(t.id, t.topic);
        entry.topic = t.topic;
        const activity = t.lastMessageReceivedOn;
        const moved =
          activity !== undefined && (!entry.lastActivity || activity > entry.lastActivity);
        if (moved && !entry.detailed) entry.lastActivity = activity;
        if (index >= this.detailLimit) return;
        if (!entry.detailed || moved || entry.unreadIds.size > 0 || entry.unreadMore)
          stale.push(entry);
      });
      // Events that arrived while the list loaded apply on top of it.
      const held = this.held;
      this.held = undefined;
      for (const event of held ?? []) this.apply(event);
      this.changed();
      const failures: unknown[] = [];
      await runBounded(
        stale.map(
          (entry) => () => this.loadDetails(entry).catch((e: unknown) => void failures.push(e)),
        ),
        this.concurrency,
      );
      this.error = failures[0];
    } catch (error) {
      this.error = error;
    } finally {
      if (this.held) {
        const held = this.held;
        this.held = undefined;
        for (const event of held) this.apply(event);
      }
      this.ready = true;
      this.changed();
    }
  }

  /**
   * The thread's newest page of messages; then, only when it holds messages from others, the
   * participants (for their names) and the read receipts (for the count): 1 to 3 calls.
   */
  /** For events: a failure shows as `error` and the next re-sync tries again. */
  private loadInBackground(entry: Entry): void {
    this.loadDetails(entry).catch((error: unknown) => {
      this.error = error;
      this.changed();
    });
  }

  private loadDetails(entry: Entry): Promise<void> {
    const running = this.loadingDetails.get(entry.id);
    if (running) return running;
    const load = this.fetchDetails(entry).finally(() => this.loadingDetails.delete(entry.id));
    this.loadingDetails.set(entry.id, load);
    return load;
  }

  private async fetchDetails(entry: Entry): Promise<void> {
    const client = this.session.threadClient(entry.id);
    const settings: { continuationToken?: string } = {};
    const page = await client.listMessages({ maxPageSize: this.pageSize }).byPage(settings).next();
    if (this.disposed || this.entries.get(entry.id) !== entry) return;
    const items: ChatMessage[] = page.done ? [] : page.value;
    const self = this.session.acsUserId;
    const messages = items.map((m) => messageFromSdk(m, self));
    const previousNewest = entry.newestKey;
    const wasDetailed = entry.detailed;
    const fromOthers = messages.filter((m) => !m.mine && isText(m));
    const [receipts] = await Promise.all([
      fromOthers.length > 0 ? this.ownReceipt(client) : Promise.resolve(undefined),
      fromOthers.length > 0 && !entry.participants ? this.loadParticipants(entry) : undefined,
    ]);
    if (this.disposed || this.entries.get(entry.id) !== entry) return;
    if (receipts !== undefined) this.applyOwnReceipt(entry, receipts);
    const more = settings.continuationToken !== undefined && messages.length > 0;
    const floor = more ? Math.min(...messages.map(messageOrderKey)) : Number.NEGATIVE_INFINITY;
    // The page starts after what was known: messages between may be unread and uncounted.
    if (more && (!wasDetailed || floor > previousNewest)) {
      entry.pageFloor = Math.max(entry.pageFloor, floor);
      if (floor > entry.readUpTo) entry.unreadMore = true;
    }
    const fresh: ChatMessageView[] = [];
    for (const m of [...messages].sort((a, b) => messageOrderKey(a) - messageOrderKey(b))) {
      if (this.applyMessage(entry, m) && wasDetailed && !m.mine && isText(m) && !m.deletedOn)
        fresh.push(m);
    }
    entry.detailed = true;
    this.changed(entry);
    // Found by a re-sync: missed while disconnected, so still news.
    for (const m of fresh) this.announce(entry, m);
  }

  /** This person's latest read receipt's message id in the thread, if any. */
  private async ownReceipt(client: ChatThreadClient): Promise<string | undefined> {
    const self = this.session.acsUserId;
    let best: string | undefined;
    for await (const r of client.listReadReceipts({ maxPageSize: 100 })) {
      if (identifierId(r.sender) !== self) continue;
      if (best === undefined || Number(r.chatMessageId) > Number(best)) best = r.chatMessageId;
    }
    return best;
  }

  private loadParticipants(entry: Entry): Promise<void> {
    const running = this.loadingParticipants.get(entry.id);
    if (running) return running;
    const load = (async () => {
      const participants = new Map<string, string | undefined>();
      for await (const p of this.session.threadClient(entry.id).listParticipants({
        maxPageSize: 100,
      })) {
        const view = participantFromSdk(p);
        if (view) participants.set(view.acsUserId, view.displayName);
      }
      entry.participants = participants;
      this.changed(entry);
    })()
      .catch(() => undefined)
      .finally(() => this.loadingParticipants.delete(entry.id));
    this.loadingParticipants.set(entry.id, load);
    return load;
  }

  private updateTimer(state: ConnectionState): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (state === "live" || this.disposed) return;
    this.timer = setInterval(() => void this.resync(), this.resyncIntervalMs);
  }
}
