// Applies the session's live events to the inbox: new and edited messages, deletions, this
// person's own read receipts, threads created, renamed or deleted, and participants coming and
// going. A thread the inbox has no details of yet gets them loaded in the background.
import type { ChatSessionEvent } from "../types";
import type { InboxLoader } from "./inbox-loader";
import type { InboxStateStore } from "./inbox-state";
import { applyDeleted, applyMessage, applyOwnReceipt, isText } from "./thread-entry";

/** How old a message of a thread without details may be and still be announced as new. */
const RECENT_MS = 5 * 60_000;

export function applyInboxEvent(
  event: ChatSessionEvent,
  store: InboxStateStore,
  loader: Pick<InboxLoader, "keep" | "loadInBackground" | "loadParticipants">,
  selfId: string,
): void {
  switch (event.kind) {
    case "messageReceived":
    case "messageEdited": {
      const entry = store.entryFor(event.threadId);
      const isNewest = applyMessage(entry, event.message, loader.keep);
      store.changed(entry);
      const m = event.message;
      if (!entry.detailed) loader.loadInBackground(entry);
      else if (!m.mine && m.senderId && !entry.participants?.has(m.senderId))
        void loader.loadParticipants(entry);
      // A thread without details yet may be loading its history (opened beyond the detail
      // limit): only a recent message there is news.
      const live = entry.detailed || Date.now() - m.createdOn.getTime() < RECENT_MS;
      if (
        event.kind === "messageReceived" &&
        store.ready &&
        isNewest &&
        live &&
        !m.mine &&
        isText(m) &&
        !m.deletedOn
      )
        store.announce(entry, m);
      return;
    }
    case "messageDeleted": {
      const entry = store.entries.get(event.threadId);
      if (!entry) return;
      applyDeleted(entry, event.messageId, event.deletedOn);
      store.changed(entry);
      return;
    }
    case "readReceipt": {
      if (event.receipt.acsUserId !== selfId) return;
      const entry = store.entries.get(event.threadId);
      if (!entry) return;
      applyOwnReceipt(entry, event.receipt.messageId);
      store.changed(entry);
      return;
    }
    case "threadCreated": {
      const entry = store.entryFor(event.threadId, event.topic);
      entry.topic = event.topic || entry.topic;
      store.changed(entry);
      if (!entry.detailed) loader.loadInBackground(entry);
      return;
    }
    case "threadUpdated": {
      const entry = store.entries.get(event.threadId);
      if (!entry || event.topic === undefined) return;
      entry.topic = event.topic;
      store.changed(entry);
      return;
    }
    case "threadDeleted":
      if (store.entries.delete(event.threadId)) store.changed();
      return;
    case "participantsAdded": {
      const entry = store.entryFor(event.threadId);
      for (const p of event.participants) entry.participants?.set(p.acsUserId, p.displayName);
      store.changed(entry);
      // Added to a thread: it appears in the list with its history.
      if (!entry.detailed) loader.loadInBackground(entry);
      return;
    }
    case "participantsRemoved": {
      if (event.participants.some((p) => p.acsUserId === selfId)) {
        if (store.entries.delete(event.threadId)) store.changed();
        return;
      }
      const entry = store.entries.get(event.threadId);
      if (!entry) return;
      for (const p of event.participants) entry.participants?.delete(p.acsUserId);
      store.changed(entry);
      return;
    }
    default:
      return;
  }
}
