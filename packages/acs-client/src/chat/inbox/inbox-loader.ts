// Loads the inbox: the thread list, then each thread's details (its newest page of messages; then,
// only when that page holds messages from others, the participants for their names and the read
// receipts for the count: 1 to 3 calls), at most `concurrency` threads at a time.
import type { ChatMessage, ChatThreadClient } from "@azure/communication-chat";
import { identifierId, messageFromSdk, participantFromSdk } from "../mapping";
import type { InboxStateStore } from "./inbox-state";
import { runBounded } from "./run-bounded";
import { applyNewestPage, isText } from "./thread-entry";
import type { InboxEntry } from "./thread-entry";
import type { InboxSession } from "./types";

export interface InboxLoaderOptions {
  /** Messages read per thread (one page). */
  readonly pageSize: number;
  /** Threads whose details are fetched at once. */
  readonly concurrency: number;
  /** Only the newest this many threads get their details. */
  readonly detailLimit: number;
  /** Applies the events that arrived while the list loaded, on top of it. */
  readonly releaseHeldEvents: () => void;
}

export class InboxLoader {
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private readonly loadingParticipants = new Map<string, Promise<void>>();
  private readonly loadingDetails = new Map<string, Promise<void>>();

  constructor(
    private readonly store: InboxStateStore,
    private readonly session: Pick<InboxSession, "acsUserId" | "listThreads" | "threadClient">,
    private readonly options: InboxLoaderOptions,
  ) {}

  /** How many messages an entry keeps (enough to find the last text message after deletions). */
  get keep(): number {
    return this.options.pageSize * 2;
  }

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
      } while (this.syncAgain && !this.store.disposed);
    })().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  /** For events: a failure shows as `error` and the next re-sync tries again. */
  loadInBackground(entry: InboxEntry): void {
    this.loadDetails(entry).catch((error: unknown) => {
      this.store.error = error;
      this.store.changed();
    });
  }

  /** The thread's participants (for senders' names); never rejects. */
  loadParticipants(entry: InboxEntry): Promise<void> {
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
      this.store.changed(entry);
    })()
      .catch(() => undefined)
      .finally(() => this.loadingParticipants.delete(entry.id));
    this.loadingParticipants.set(entry.id, load);
    return load;
  }

  private async syncOnce(): Promise<void> {
    const { store } = this;
    const startedAt = Date.now();
    try {
      const listed = (await this.session.listThreads()).filter((t) => !t.deletedOn);
      if (store.disposed) return;
      const seen = new Set(listed.map((t) => t.id));
      for (const [id, entry] of [...store.entries])
        if (!seen.has(id) && entry.createdAt < startedAt) store.entries.delete(id);
      const stale: InboxEntry[] = [];
      listed.forEach((t, index) => {
        const entry = store.entryFor(t.id, t.topic);
        entry.topic = t.topic;
        const activity = t.lastMessageReceivedOn;
        const moved =
          activity !== undefined && (!entry.lastActivity || activity > entry.lastActivity);
        if (moved && !entry.detailed) entry.lastActivity = activity;
        if (index >= this.options.detailLimit) return;
        if (!entry.detailed || moved || entry.unreadIds.size > 0 || entry.unreadMore)
          stale.push(entry);
      });
      this.options.releaseHeldEvents();
      store.changed();
      const failures: unknown[] = [];
      await runBounded(
        stale.map(
          (entry) => () => this.loadDetails(entry).catch((e: unknown) => void failures.push(e)),
        ),
        this.options.concurrency,
      );
      store.error = failures[0];
    } catch (error) {
      store.error = error;
    } finally {
      this.options.releaseHeldEvents();
      store.ready = true;
      store.changed();
    }
  }

  private loadDetails(entry: InboxEntry): Promise<void> {
    const running = this.loadingDetails.get(entry.id);
    if (running) return running;
    const load = this.fetchDetails(entry).finally(() => this.loadingDetails.delete(entry.id));
    this.loadingDetails.set(entry.id, load);
    return load;
  }

  private async fetchDetails(entry: InboxEntry): Promise<void> {
    const client = this.session.threadClient(entry.id);
    const settings: { continuationToken?: string } = {};
    const page = await client
      .listMessages({ maxPageSize: this.options.pageSize })
      .byPage(settings)
      .next();
    if (!this.store.isCurrent(entry)) return;
    const items: ChatMessage[] = page.done ? [] : page.value;
    const messages = items.map((m) => messageFromSdk(m, this.session.acsUserId));
    const before = { newestKey: entry.newestKey, detailed: entry.detailed };
    const fromOthers = messages.filter((m) => !m.mine && isText(m));
    const [ownReceipt] = await Promise.all([
      fromOthers.length > 0 ? this.ownReceipt(client) : Promise.resolve(undefined),
      fromOthers.length > 0 && !entry.participants ? this.loadParticipants(entry) : undefined,
    ]);
    if (!this.store.isCurrent(entry)) return;
    const fresh = applyNewestPage(
      entry,
      { messages, hasMore: settings.continuationToken !== undefined, ownReceipt, before },
      this.keep,
    );
    this.store.changed(entry);
    // Found by a re-sync: missed while disconnected, so still news.
    for (const m of fresh) this.store.announce(entry, m);
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
}
