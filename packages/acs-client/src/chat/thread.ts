// One open chat thread: its message store, outbox (outbox.ts), typing, receipts and participants,
// and the calls that change them. The session feeds it events; it never talks to the event sources.
import { MessageStore, messageOrderKey } from "./message-store";
import { Outbox } from "./outbox";
import type { OutboxDeps } from "./outbox";
import { SenderNames } from "./sender-names";
import { HistoryPages, readMessagesSince, readParticipants } from "./thread-reads";
import type { UpsertOutcome } from "./message-store";
import type {
  ChatMessageView,
  ChatSessionEvent,
  ParticipantView,
  ReadReceiptView,
  TypingUserView,
} from "./types";

/** The SDK throttles typing notifications to one per 8 s; we show a typing user that long. */
export const TYPING_DISPLAY_MS = 8_000;

export interface ChatThreadState {
  readonly messages: readonly ChatMessageView[];
  readonly typingUsers: readonly TypingUserView[];
  readonly readReceipts: readonly ReadReceiptView[];
  readonly participants: readonly ParticipantView[];
  readonly hasOlder: boolean;
  readonly ready: boolean;
}

export interface ChatThreadHandle {
  readonly threadId: string;
  /** Stable snapshot (same object until something changes), for useSyncExternalStore. */
  getState(): ChatThreadState;
  getMessages(): readonly ChatMessageView[];
  subscribe(listener: () => void): () => void;
  /** Shows the message at once as pending and sends it through the outbox; returns its client id. */
  send(content: string, options?: { metadata?: Record<string, string> }): string;
  /** Re-queues a failed message. */
  retry(clientMessageId: string): void;
  edit(messageId: string, content: string): Promise<void>;
  delete(messageId: string): Promise<void>;
  /** Loads the next older page of history; false when there is none. */
  loadOlder(): Promise<boolean>;
  /** False within the SDK's 8 s throttle (nothing sent). */
  sendTyping(): Promise<boolean>;
  markRead(messageId: string): Promise<void>;
  addParticipants(
    participants: readonly { acsUserId: string; displayName?: string }[],
  ): Promise<void>;
  removeParticipant(acsUserId: string): Promise<void>;
  /** Resolves when the outbox is empty (every message sent or failed). */
  whenOutboxEmpty(): Promise<void>;
}

export interface ThreadDeps extends OutboxDeps {
  readonly threadId: string;
  readonly emit: (event: ChatSessionEvent) => void;
  readonly historyPageSize: number;
}

export class ChatThread implements ChatThreadHandle {
  readonly threadId: string;
  private readonly store: MessageStore;
  private readonly outbox: Outbox;
  private readonly listeners = new Set<() => void>();
  private readonly typing = new Map<string, TypingUserView>();
  private participants = new Map<string, ParticipantView>();
  private state: ChatThreadState | undefined;
  private readonly history: HistoryPages;
  private loaded = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly names: SenderNames;

  constructor(private readonly deps: ThreadDeps) {
    this.threadId = deps.threadId;
    this.store = new MessageStore(deps.selfId);
    this.outbox = new Outbox(deps, this.store, () => this.changed());
    this.names = new SenderNames({ acsUserId: deps.selfId, displayName: deps.displayName });
    this.history = new HistoryPages(deps.selfId, deps.historyPageSize);
  }

  // --- state -------------------------------------------------------------------------------

  getState(): ChatThreadState {
    if (this.state) return this.state;
    const now = Date.now();
    this.state = {
      messages: this.getMessages(),
      typingUsers: [...this.typing.values()]
        .filter((t) => now - t.receivedOn.getTime() < TYPING_DISPLAY_MS)
        .map((t) => ({ ...t, name: this.senderName(t.acsUserId) })),
      readReceipts: this.store.readReceipts(),
      participants: [...this.participants.values()],
      hasOlder: !this.history.exhausted,
      ready: this.loaded,
    };
    return this.state;
  }

  getMessages(): readonly ChatMessageView[] {
    return this.names.nameAll(this.store.list(), this.participants);
  }

  private senderName(senderId: string | undefined): string {
    return this.names.nameOf(senderId, this.participants);
  }

  private withSenderName(message: ChatMessageView): ChatMessageView {
    return this.names.withName(message, this.participants);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.state = undefined;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A UI listener's failure must not stop delivery.
      }
    }
  }

  // --- incoming (from the session's event sources) -----------------------------------------

  /** Applies server messages (any order, duplicates welcome), emitting events for what is new. */
  applyServerMessages(messages: readonly ChatMessageView[]): void {
    let changed = false;
    const sorted = [...messages].sort((a, b) => messageOrderKey(a) - messageOrderKey(b));
    for (const message of sorted) {
      const before = this.store.get(message.id);
      const outcome: UpsertOutcome = this.store.upsertServer(message);
      if (outcome === "duplicate" || (outcome === "unchanged" && before)) continue;
      changed = true;
      if (outcome === "replaced") continue;
      const stored = this.store.get(message.id) ?? message;
      if (outcome === "new") {
        this.typing.delete(message.senderId ?? "");
        this.deps.emit({
          kind: "messageReceived",
          threadId: this.threadId,
          message: this.withSenderName(stored),
        });
      } else if (outcome === "updated" && stored.deletedOn && !before?.deletedOn) {
        this.deps.emit({
          kind: "messageDeleted",
          threadId: this.threadId,
          messageId: stored.id,
          deletedOn: stored.deletedOn,
        });
      } else if (outcome === "updated") {
        this.deps.emit({
          kind: "messageEdited",
          threadId: this.threadId,
          message: this.withSenderName(stored),
        });
      }
    }
    if (changed) this.changed();
  }

  applyDeleted(messageId: string, deletedOn: Date): void {
    const existing = this.store.get(messageId);
    if (!existing) {
      this.deps.emit({ kind: "messageDeleted", threadId: this.threadId, messageId, deletedOn });
      return;
    }
    this.applyServerMessages([
      { ...existing, deletedOn, version: String(Number(existing.version ?? 0) + 1) },
    ]);
  }

  applyTyping(user: TypingUserView): void {
    if (user.acsUserId === this.deps.selfId) return;
    this.typing.set(user.acsUserId, user);
    this.deps.emit({
      kind: "typing",
      threadId: this.threadId,
      user: { ...user, name: this.senderName(user.acsUserId) },
    });
    this.changed();
    // Re-render when the indicator lapses.
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.changed(), TYPING_DISPLAY_MS + 10);
  }

  applyReceipt(receipt: ReadReceiptView): void {
    if (!this.store.addReceipt(receipt)) return;
    this.deps.emit({ kind: "readReceipt", threadId: this.threadId, receipt });
    this.changed();
  }

  applyParticipants(
    kind: "participantsAdded" | "participantsRemoved",
    list: readonly ParticipantView[],
    fromServer = true,
  ): void {
    // A new map, so the names resolved against the old one are resolved again.
    const participants = new Map(this.participants);
    for (const p of list) {
      if (kind === "participantsAdded") participants.set(p.acsUserId, p);
      else participants.delete(p.acsUserId);
    }
    this.participants = participants;
    if (fromServer) this.deps.emit({ kind, threadId: this.threadId, participants: list });
    this.changed();
  }

  // --- loading and re-sync ----------------------------------------------------------------

  /** First page of history (newest messages), participants and receipts. */
  async load(): Promise<void> {
    if (this.loaded) return;
    await this.loadOlder();
    await this.syncMembersAndReceipts();
    this.loaded = true;
    this.changed();
  }

  /**
   * Fetches what may have been missed (after a reconnect, or as a poll): messages created since
   * the newest known one, read receipts and participants.
   */
  async sync(options: { members?: boolean } = {}): Promise<void> {
    if (!this.loaded) {
      await this.load();
      return;
    }
    const client = await this.deps.client();
    const fetched = await readMessagesSince(client, this.store.newest(), this.deps.selfId);
    this.applyServerMessages(fetched);
    if (options.members !== false) await this.syncMembersAndReceipts();
  }

  private async syncMembersAndReceipts(): Promise<void> {
    const client = await this.deps.client();
    const participants = await readParticipants(client);
    const changed =
      participants.size !== this.participants.size ||
      [...participants.values()].some(
        (p) => this.participants.get(p.acsUserId)?.displayName !== p.displayName,
      );
    if (changed) this.participants = participants;
    for await (const r of client.listReadReceipts()) {
      const acsUserId = (r.sender as { communicationUserId?: string }).communicationUserId;
      if (acsUserId) this.applyReceipt({ acsUserId, messageId: r.chatMessageId, readOn: r.readOn });
    }
    if (changed) this.changed();
  }

  async loadOlder(): Promise<boolean> {
    if (this.history.exhausted) return false;
    const older = await this.history.next(await this.deps.client());
    this.applyServerMessages(older);
    this.changed();
    return !this.history.exhausted;
  }

  // --- outbox (outbox.ts) --------------------------------------------------------------------

  send(content: string, options: { metadata?: Record<string, string> } = {}): string {
    return this.outbox.send(content, options);
  }

  retry(clientMessageId: string): void {
    this.outbox.retry(clientMessageId);
  }

  whenOutboxEmpty(): Promise<void> {
    return this.outbox.whenEmpty();
  }

  // --- other calls -------------------------------------------------------------------------

  async edit(messageId: string, content: string): Promise<void> {
    const client = await this.deps.client();
    await client.updateMessage(messageId, { content });
    const existing = this.store.get(messageId);
    if (existing) {
      this.applyServerMessages([
        {
          ...existing,
          content,
          editedOn: new Date(),
          version: String(Number(existing.version ?? 0) + 1),
        },
      ]);
    }
  }

  async delete(messageId: string): Promise<void> {
    const client = await this.deps.client();
    await client.deleteMessage(messageId);
    this.applyDeleted(messageId, new Date());
  }

  async sendTyping(): Promise<boolean> {
    const client = await this.deps.client();
    return client.sendTypingNotification({ senderDisplayName: this.deps.displayName });
  }

  async markRead(messageId: string): Promise<void> {
    const client = await this.deps.client();
    await client.sendReadReceipt({ chatMessageId: messageId });
    this.applyReceipt({ acsUserId: this.deps.selfId, messageId, readOn: new Date() });
  }

  async addParticipants(
    participants: readonly { acsUserId: string; displayName?: string }[],
  ): Promise<void> {
    const client = await this.deps.client();
    const result = await client.addParticipants({
      participants: participants.map((p) => ({
        id: { communicationUserId: p.acsUserId },
        displayName: p.displayName,
      })),
    });
    const invalid = result.invalidParticipants ?? [];
    if (invalid.length > 0) {
      throw new Error(
        `Could not add participants: ${invalid.map((e) => `${e.target ?? "?"}: ${e.message}`).join("; ")}`,
      );
    }
    this.applyParticipants(
      "participantsAdded",
      participants.map((p) => ({ acsUserId: p.acsUserId, displayName: p.displayName })),
      false,
    );
  }

  async removeParticipant(acsUserId: string): Promise<void> {
    const client = await this.deps.client();
    await client.removeParticipant({ communicationUserId: acsUserId });
    const known = this.participants.get(acsUserId) ?? { acsUserId };
    this.applyParticipants("participantsRemoved", [known], false);
  }

  dispose(): void {
    clearTimeout(this.typingTimer);
    this.listeners.clear();
    this.outbox.dispose();
  }
}
