// A thread's outbox: each message shows at once as pending, then is sent in order, one at a time,
// retried with backoff while the failure is transient and marked failed on a permanent one
// (permanent-error.ts). A retry first looks for the message on the server (by its client message
// id), so a send whose answer was lost is never stored twice.
import type { ChatThreadClient } from "@azure/communication-chat";
import type { MessageStore } from "./message-store";
import { isPermanentChatError, statusCodeOf } from "./permanent-error";

export interface OutboxDeps {
  readonly selfId: string;
  readonly displayName: string;
  readonly client: () => Promise<ChatThreadClient>;
  /** The same thread on a ChatClient with the SDK's own retries off (for sendMessage). */
  readonly sendClient: () => Promise<ChatThreadClient>;
  readonly newId: () => string;
  /** Server clock minus local clock (from the token credential). */
  readonly clockSkewMs: () => number;
  readonly retryDelay: (attempt: number) => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly isClosed: () => boolean;
}

interface OutboxItem {
  readonly clientMessageId: string;
  readonly content: string;
  readonly metadata: Record<string, string>;
  readonly createdAtLocal: number;
  attempts: number;
  /** A previous attempt may have reached the server: look for it before sending again. */
  maybeSent: boolean;
}

/** The request certainly did not reach the service (refused connection, no token, rejected auth). */
export function certainlyNotSent(error: unknown): boolean {
  const status = statusCodeOf(error);
  if (status === 401 || status === 429) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ECONNREFUSED") return true;
  const name = (error as { name?: unknown } | null)?.name;
  return name === "TokenUnavailableError" || name === "TokenFetchTimeoutError";
}

export class Outbox {
  private readonly queue: OutboxItem[] = [];
  private readonly emptyWaiters: (() => void)[] = [];
  private draining = false;

  /**
   * @param store the thread's messages, where pending and failed messages show
   * @param changed tells the thread its state changed
   */
  constructor(
    private readonly deps: OutboxDeps,
    private readonly store: MessageStore,
    private readonly changed: () => void,
  ) {}

  /** Shows the message at once as pending and queues it; returns its client id. */
  send(content: string, options: { metadata?: Record<string, string> } = {}): string {
    const clientMessageId = this.deps.newId();
    this.enqueue({
      clientMessageId,
      content,
      metadata: { ...options.metadata, clientMessageId },
      createdAtLocal: Date.now(),
      attempts: 0,
      maybeSent: false,
    });
    return clientMessageId;
  }

  /** Re-queues a failed message (it may have reached the server: looked for first). */
  retry(clientMessageId: string): void {
    const failed = this.store
      .list()
      .find((m) => m.clientMessageId === clientMessageId && m.status === "failed");
    if (!failed) return;
    this.enqueue({
      clientMessageId,
      content: failed.content,
      metadata: { ...failed.metadata, clientMessageId },
      createdAtLocal: failed.createdOn.getTime(),
      attempts: 0,
      maybeSent: true,
    });
  }

  /** Resolves when every message is sent or failed (or the outbox is disposed). */
  whenEmpty(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  dispose(): void {
    this.emptyWaiters.splice(0).forEach((resolve) => resolve());
  }

  private enqueue(item: OutboxItem): void {
    this.show(item);
    this.queue.push(item);
    void this.drain();
  }

  private show(item: OutboxItem, error?: unknown, status: "pending" | "failed" = "pending"): void {
    this.store.setPending({
      id: `local:${item.clientMessageId}`,
      clientMessageId: item.clientMessageId,
      type: "text",
      content: item.content,
      senderId: this.deps.selfId,
      senderName: this.deps.displayName,
      senderDisplayName: this.deps.displayName,
      createdOn: new Date(item.createdAtLocal),
      metadata: item.metadata,
      mine: true,
      status,
      error,
      readBy: [],
    });
    this.changed();
  }

  /** Sends queued messages one at a time, in order; never rejects. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0 && !this.deps.isClosed()) {
        const item = this.queue[0]!;
        try {
          await this.sendOnce(item);
          this.queue.shift();
        } catch (error) {
          if (this.deps.isClosed()) break;
          if (isPermanentChatError(error)) {
            this.queue.shift();
            this.show(item, error, "failed");
            continue;
          }
          item.attempts += 1;
          item.maybeSent ||= !certainlyNotSent(error);
          this.show(item, error);
          await this.deps.sleep(this.deps.retryDelay(item.attempts));
        }
      }
    } finally {
      this.draining = false;
      if (this.queue.length === 0) this.emptyWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  private async sendOnce(item: OutboxItem): Promise<void> {
    if (this.store.hasClientId(item.clientMessageId)) return; // its event already arrived
    const client = await this.deps.client();
    if (item.maybeSent) {
      // The last attempt may have been processed though its answer was lost: never send twice.
      const since = new Date(item.createdAtLocal + this.deps.clockSkewMs() - 5 * 60_000);
      for await (const message of client.listMessages({ maxPageSize: 200, startTime: since })) {
        if (message.metadata?.clientMessageId === item.clientMessageId) {
          // Known as sent now; it is announced when the event stream or a poll reports it, in
          // order with the messages around it.
          this.store.confirmSent(item.clientMessageId, message.id);
          this.changed();
          return;
        }
      }
    }
    // Sent through a client without SDK retries: a retry inside the SDK after a lost answer would
    // store the message twice; the outbox retries instead, checking first.
    const sender = await this.deps.sendClient();
    const { id } = await sender.sendMessage(
      { content: item.content },
      { senderDisplayName: this.deps.displayName, metadata: item.metadata },
    );
    this.store.confirmSent(item.clientMessageId, id);
    this.changed();
  }
}
