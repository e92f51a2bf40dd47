// One thread as the inbox knows it, and the pure rules that keep its summary: the last text
// message, the newest activity, and the unread count (messages from others after the person's own
// latest read receipt, a lower bound when older unread ones lie beyond the page that was read).
import { messageOrderKey } from "../message-store";
import type { ChatMessageView } from "../types";
import type { InboxMessage, InboxState, InboxThread } from "./types";

export interface InboxEntry {
  id: string;
  topic: string;
  /** Known messages of the newest page and since, by id (bounded by `trimRecent`). */
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
  /** The cached summary; cleared on every change. */
  view?: InboxThread;
}

const TEXT_TYPES = new Set(["text", "html"]);
export const isText = (m: Pick<ChatMessageView, "type">) => TEXT_TYPES.has(m.type.toLowerCase());

export function createEntry(id: string, topic: string, now: number): InboxEntry {
  return {
    id,
    topic,
    recent: new Map(),
    newestKey: Number.NEGATIVE_INFINITY,
    readUpTo: Number.NEGATIVE_INFINITY,
    unreadIds: new Set(),
    unreadMore: false,
    pageFloor: Number.NEGATIVE_INFINITY,
    detailed: false,
    createdAt: now,
  };
}

/** Merges one message, keeping at most `keep` of them; true when it is newer than anything known. */
export function applyMessage(entry: InboxEntry, message: ChatMessageView, keep: number): boolean {
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
  trimRecent(entry, keep);
  return isNewest;
}

/** Keeps the newest `keep` messages (enough to find the last text message after deletions). */
function trimRecent(entry: InboxEntry, keep: number): void {
  if (entry.recent.size <= keep) return;
  const newest = [...entry.recent.values()]
    .sort((a, b) => messageOrderKey(b) - messageOrderKey(a))
    .slice(0, keep);
  entry.recent = new Map(newest.map((m) => [m.id, m]));
}

export function applyOwnReceipt(entry: InboxEntry, messageId: string): void {
  const key = Number(messageId);
  if (!Number.isFinite(key) || key <= entry.readUpTo) return;
  entry.readUpTo = key;
  for (const id of [...entry.unreadIds]) if (Number(id) <= key) entry.unreadIds.delete(id);
  if (key >= entry.pageFloor) entry.unreadMore = false;
}

export function applyDeleted(entry: InboxEntry, messageId: string, deletedOn: Date): void {
  const known = entry.recent.get(messageId);
  if (known) entry.recent.set(known.id, { ...known, deletedOn });
  entry.unreadIds.delete(messageId);
}

export interface NewestPage {
  /** The thread's newest page of messages. */
  readonly messages: readonly ChatMessageView[];
  /** Older messages exist beyond the page. */
  readonly hasMore: boolean;
  /** This person's latest read receipt's message id, if read. */
  readonly ownReceipt: string | undefined;
  /** The entry's newest key and detailed flag from before the page was requested. */
  readonly before: { readonly newestKey: number; readonly detailed: boolean };
}

/**
 * Merges a freshly read newest page; returns the messages from others it found that are news
 * (newer than what was known of a thread that already had its details: missed while disconnected).
 */
export function applyNewestPage(
  entry: InboxEntry,
  page: NewestPage,
  keep: number,
): ChatMessageView[] {
  if (page.ownReceipt !== undefined) applyOwnReceipt(entry, page.ownReceipt);
  const { messages, before } = page;
  const more = page.hasMore && messages.length > 0;
  const floor = more ? Math.min(...messages.map(messageOrderKey)) : Number.NEGATIVE_INFINITY;
  // The page starts after what was known: messages between may be unread and uncounted.
  if (more && (!before.detailed || floor > before.newestKey)) {
    entry.pageFloor = Math.max(entry.pageFloor, floor);
    if (floor > entry.readUpTo) entry.unreadMore = true;
  }
  const fresh: ChatMessageView[] = [];
  for (const m of [...messages].sort((a, b) => messageOrderKey(a) - messageOrderKey(b))) {
    if (applyMessage(entry, m, keep) && before.detailed && !m.mine && isText(m) && !m.deletedOn)
      fresh.push(m);
  }
  entry.detailed = true;
  return fresh;
}

export function inboxMessageOf(entry: InboxEntry, m: ChatMessageView): InboxMessage {
  const listed = m.senderId === undefined ? undefined : entry.participants?.get(m.senderId);
  return {
    id: m.id,
    senderName: m.mine ? "" : (listed ?? m.senderName),
    text: m.content,
    createdOn: m.createdOn,
    mine: m.mine,
  };
}

/** The entry's summary, cached on the entry until its next change. */
export function threadViewOf(entry: InboxEntry): InboxThread {
  if (entry.view) return entry.view;
  let last: ChatMessageView | undefined;
  for (const m of entry.recent.values())
    if (isText(m) && !m.deletedOn && (!last || messageOrderKey(m) > messageOrderKey(last)))
      last = m;
  entry.view = {
    id: entry.id,
    topic: entry.topic,
    lastMessage: last && inboxMessageOf(entry, last),
    lastActivity: entry.lastActivity,
    unread: entry.unreadIds.size,
    unreadMore: entry.unreadMore,
  };
  return entry.view;
}

/** Every thread's summary, newest activity first, with the totals. */
export function inboxStateOf(
  entries: Iterable<InboxEntry>,
  status: { ready: boolean; error: unknown },
): InboxState {
  const threads = [...entries].map(threadViewOf);
  threads.sort(
    (a, b) =>
      (b.lastActivity?.getTime() ?? 0) - (a.lastActivity?.getTime() ?? 0) ||
      a.id.localeCompare(b.id),
  );
  return {
    threads,
    totalUnread: threads.reduce((sum, t) => sum + t.unread, 0),
    totalUnreadMore: threads.some((t) => t.unreadMore),
    ready: status.ready,
    error: status.error,
  };
}
