import { expect, it } from "vitest";
import type { ChatMessageView } from "../types";
import {
  applyDeleted,
  applyMessage,
  applyNewestPage,
  applyOwnReceipt,
  createEntry,
  inboxStateOf,
  threadViewOf,
} from "./thread-entry";

const OTHER = "8:acs:r_other";

function message(id: string, extra: Partial<ChatMessageView> = {}): ChatMessageView {
  return {
    id,
    type: "text",
    content: `m${id}`,
    senderId: OTHER,
    senderName: "Chosen",
    createdOn: new Date(Number(id) * 1_000),
    metadata: {},
    mine: false,
    status: "sent",
    readBy: [],
    ...extra,
  };
}

it("counts text messages from others after the own read receipt, and names the sender from the list", () => {
  const entry = createEntry("t1", "Topic", 0);
  entry.participants = new Map([[OTHER, "Listed"]]);
  for (const m of [
    message("1"),
    message("2", { mine: true }),
    message("3", { type: "participantAdded" }),
    message("4"),
    message("5"),
  ])
    applyMessage(entry, m, 40);
  expect(threadViewOf(entry)).toMatchObject({ unread: 3, unreadMore: false });
  applyOwnReceipt(entry, "4");
  applyDeleted(entry, "5", new Date(6_000));
  entry.view = undefined;
  const view = threadViewOf(entry);
  // 5 is deleted: no longer unread, and the last text message is 4.
  expect(view.unread).toBe(0);
  expect(view.lastMessage).toMatchObject({ id: "4", senderName: "Listed", text: "m4" });
  expect(view.lastActivity).toEqual(new Date(5_000));
});

it("keeps only the newest messages and reports whether a message is the newest", () => {
  const entry = createEntry("t1", "", 0);
  expect(applyMessage(entry, message("2"), 2)).toBe(true);
  expect(applyMessage(entry, message("1"), 2)).toBe(false);
  expect(applyMessage(entry, message("3"), 2)).toBe(true);
  expect([...entry.recent.keys()].sort()).toEqual(["2", "3"]);
});

it("a newest page with older messages beyond it makes the count a lower bound until read", () => {
  const entry = createEntry("t1", "", 0);
  const before = { newestKey: entry.newestKey, detailed: entry.detailed };
  const fresh = applyNewestPage(
    entry,
    { messages: [message("11"), message("10")], hasMore: true, ownReceipt: undefined, before },
    40,
  );
  expect(fresh).toEqual([]); // first load: history, not news
  expect(threadViewOf(entry)).toMatchObject({ unread: 2, unreadMore: true });
  applyOwnReceipt(entry, "11");
  entry.view = undefined;
  expect(threadViewOf(entry)).toMatchObject({ unread: 0, unreadMore: false });

  // A re-sync of a detailed thread: what is newer than known is news.
  const again = applyNewestPage(
    entry,
    {
      messages: [message("12"), message("13", { mine: true })],
      hasMore: false,
      ownReceipt: undefined,
      before: { newestKey: entry.newestKey, detailed: true },
    },
    40,
  );
  expect(again.map((m) => m.id)).toEqual(["12"]);
});

it("orders threads by newest activity and totals the counts", () => {
  const a = createEntry("a", "A", 0);
  const b = createEntry("b", "B", 0);
  applyMessage(a, message("1"), 40);
  applyMessage(b, message("2"), 40);
  b.unreadMore = true;
  const state = inboxStateOf([a, b], { ready: true, error: undefined });
  expect(state.threads.map((t) => t.id)).toEqual(["b", "a"]);
  expect(state).toMatchObject({ totalUnread: 2, totalUnreadMore: true, ready: true });
});
