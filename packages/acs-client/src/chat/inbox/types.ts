// The inbox's public types (re-exported by chat/inbox.ts).
import type { ChatSession } from "../session";

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
