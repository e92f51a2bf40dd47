import { expect, it } from "vitest";
import type { ChatSessionEvent } from "../types";
import { ChatEventDispatcher } from "./event-dispatcher";
import type { OpenThreadTarget } from "./event-dispatcher";

const SELF = "8:acs:r_me";
const OTHER = "8:acs:r_other";

function recordingThread(calls: string[]): OpenThreadTarget {
  return {
    applyServerMessages: (messages) =>
      void calls.push(`messages:${messages.map((m) => m.id).join()}`),
    applyDeleted: (messageId) => void calls.push(`deleted:${messageId}`),
    applyTyping: (user) => void calls.push(`typing:${user.acsUserId}`),
    applyReceipt: (receipt) => void calls.push(`receipt:${receipt.messageId}`),
    applyParticipants: (kind, list) =>
      void calls.push(`${kind}:${list.map((p) => p.acsUserId).join()}`),
  };
}

const received = {
  threadId: "t1",
  id: "100",
  createdOn: "2026-01-01T00:00:00Z",
  message: "hi",
  sender: { communicationUserId: OTHER },
};

it("hands an open thread's events to the thread, which announces them itself", () => {
  const calls: string[] = [];
  const emitted: ChatSessionEvent[] = [];
  const dispatcher = new ChatEventDispatcher(SELF, (id) =>
    id === "t1" ? recordingThread(calls) : undefined,
  );
  dispatcher.subscribe((event) => emitted.push(event));
  dispatcher.dispatch("chatMessageReceived", received);
  dispatcher.dispatch("chatMessageDeleted", { threadId: "t1", id: "100" });
  dispatcher.dispatch("readReceiptReceived", {
    threadId: "t1",
    sender: { communicationUserId: OTHER },
    chatMessageId: "100",
  });
  expect(calls).toEqual(["messages:100", "deleted:100", "receipt:100"]);
  expect(emitted).toEqual([]);
});

it("emits a typed event for a thread that is not open, and ignores what it cannot read", () => {
  const emitted: ChatSessionEvent[] = [];
  const dispatcher = new ChatEventDispatcher(SELF, () => undefined);
  dispatcher.subscribe((event) => emitted.push(event));
  dispatcher.dispatch("chatMessageEdited", received);
  dispatcher.dispatch("chatThreadPropertiesUpdated", { threadId: "t1", properties: { topic: 3 } });
  dispatcher.dispatch("typingIndicatorReceived", {
    threadId: "t1",
    sender: { communicationUserId: SELF },
  });
  dispatcher.dispatch("chatMessageReceived", { id: "1" }); // no thread id
  dispatcher.dispatch("somethingNew", { threadId: "t1" });
  expect(emitted.map((e) => e.kind)).toEqual(["messageEdited", "threadUpdated"]);
  expect(emitted[1]).toEqual({ kind: "threadUpdated", threadId: "t1", topic: undefined });
});

it("a throwing listener does not stop delivery to the others", () => {
  const dispatcher = new ChatEventDispatcher(SELF, () => undefined);
  const seen: string[] = [];
  dispatcher.subscribe(() => {
    throw new Error("broken listener");
  });
  const unsubscribe = dispatcher.subscribe((event) => seen.push(event.kind));
  dispatcher.dispatch("chatThreadDeleted", { threadId: "t1" });
  unsubscribe();
  dispatcher.dispatch("chatThreadDeleted", { threadId: "t1" });
  expect(seen).toEqual(["threadDeleted"]);
});
