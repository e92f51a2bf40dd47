// One thread's messages: server messages de-duplicated by id and by client message id, ordered by
// sequence, followed by the outbox's pending messages in send order.
import type { ChatMessageView, ReadReceiptView } from "./types";

/** "replaced": an earlier copy of an already shown client message took its place (not news). */
export type UpsertOutcome = "new" | "updated" | "duplicate" | "replaced" | "unchanged";

/** ACS and the emulator allocate message ids as increasing epoch-ms numbers, in sequence order. */
export function messageOrderKey(message: Pick<ChatMessageView, "id" | "sequenceId">): number {
  const byId = Number(message.id);
  if (Number.isFinite(byId)) return byId;
  const bySequence = Number(message.sequenceId);
  return Number.isFinite(bySequence) ? bySequence : Number.MAX_SAFE_INTEGER;
}

export class MessageStore {
  private readonly byId = new Map<string, ChatMessageView>();
  private readonly serverIdByClientId = new Map<string, string>();
  private readonly pending = new Map<string, ChatMessageView>();
  private readonly receipts = new Map<string, ReadReceiptView>();
  /** Known only from the send call's answer; announced as "new" when the service reports it. */
  private readonly provisional = new Set<string>();
  private cached: readonly ChatMessageView[] | undefined;

  constructor(private readonly selfId: string) {}

  /** Adds or updates a server message. "duplicate": a copy of a client message already shown. */
  upsertServer(message: ChatMessageView): UpsertOutcome {
    const existing = this.byId.get(message.id);
    if (existing && this.provisional.delete(message.id)) {
      this.byId.set(message.id, { ...existing, ...message, status: "sent", error: undefined });
      this.cached = undefined;
      return "new";
    }
    if (existing) {
      const newer =
        Number(message.version ?? 0) > Number(existing.version ?? 0) ||
        (message.deletedOn !== undefined && existing.deletedOn === undefined) ||
        (message.sequenceId !== undefined && existing.sequenceId === undefined);
      if (!newer) return "unchanged";
      this.byId.set(message.id, { ...existing, ...message, status: "sent" });
      this.cached = undefined;
      return message.deletedOn !== undefined || message.editedOn !== existing.editedOn
        ? "updated"
        : "unchanged";
    }
    const clientId = message.clientMessageId;
    if (clientId !== undefined) {
      const known = this.serverIdByClientId.get(clientId);
      if (known !== undefined && known !== message.id) {
        // The service stored one client message twice. Every client keeps the first copy (lowest
        // id), so all sides converge on the same message whatever order they saw the copies in.
        if (messageOrderKey(message) > messageOrderKey({ id: known })) return "duplicate";
        const replaced = this.byId.get(known);
        this.byId.delete(known);
        this.provisional.delete(known);
        this.serverIdByClientId.set(clientId, message.id);
        this.byId.set(message.id, { ...message, status: "sent", readBy: replaced?.readBy ?? [] });
        this.cached = undefined;
        return "replaced";
      }
      this.serverIdByClientId.set(clientId, message.id);
      this.pending.delete(clientId);
    }
    this.byId.set(message.id, { ...message, status: "sent" });
    this.cached = undefined;
    return "new";
  }

  /** The send call answered with the server id before (or instead of) the message event. */
  confirmSent(clientMessageId: string, serverId: string): ChatMessageView | undefined {
    const local = this.pending.get(clientMessageId);
    this.pending.delete(clientMessageId);
    if (this.byId.has(serverId) || !local) {
      this.cached = undefined;
      return undefined;
    }
    this.serverIdByClientId.set(clientMessageId, serverId);
    const sent: ChatMessageView = { ...local, id: serverId, status: "sent", error: undefined };
    this.byId.set(serverId, sent);
    this.provisional.add(serverId);
    this.cached = undefined;
    return sent;
  }

  /** Whether a server message with this client id is already known. */
  hasClientId(clientMessageId: string): boolean {
    return this.serverIdByClientId.has(clientMessageId);
  }

  setPending(message: ChatMessageView): void {
    const clientId = message.clientMessageId;
    if (clientId === undefined || this.serverIdByClientId.has(clientId)) return;
    this.pending.set(clientId, message);
    this.cached = undefined;
  }

  removePending(clientMessageId: string): void {
    if (this.pending.delete(clientMessageId)) this.cached = undefined;
  }

  get(id: string): ChatMessageView | undefined {
    return this.byId.get(id);
  }

  /** Latest server message (by sequence), for polling watermarks. */
  newest(): ChatMessageView | undefined {
    let newest: ChatMessageView | undefined;
    for (const m of this.byId.values())
      if (!newest || messageOrderKey(m) > messageOrderKey(newest)) newest = m;
    return newest;
  }

  /** Records a read receipt; true when it moved that user's read position forward. */
  addReceipt(receipt: ReadReceiptView): boolean {
    const current = this.receipts.get(receipt.acsUserId);
    if (current && Number(current.messageId) >= Number(receipt.messageId)) return false;
    this.receipts.set(receipt.acsUserId, receipt);
    this.cached = undefined;
    return true;
  }

  readReceipts(): ReadReceiptView[] {
    return [...this.receipts.values()];
  }

  /** Stable array (same reference until something changes), oldest first, pending last. */
  list(): readonly ChatMessageView[] {
    if (this.cached) return this.cached;
    const receipts = [...this.receipts.values()].filter((r) => r.acsUserId !== this.selfId);
    const server = [...this.byId.values()].sort((a, b) => messageOrderKey(a) - messageOrderKey(b));
    const withReads = server.map((m) => {
      if (!m.mine) return m;
      const key = messageOrderKey(m);
      const readBy = receipts.filter((r) => Number(r.messageId) >= key).map((r) => r.acsUserId);
      return readBy.length === m.readBy.length && readBy.every((r, i) => m.readBy[i] === r)
        ? m
        : { ...m, readBy };
    });
    this.cached = [...withReads, ...this.pending.values()];
    return this.cached;
  }
}
