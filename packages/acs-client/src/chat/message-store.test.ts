import { expect, it } from "vitest";
import { MessageStore } from "./message-store";
import type { ChatMessageView } from "./types";

const SELF = "8:acs:r_me";

function server(id: string, extra: Partial<ChatMessageView> = {}): ChatMessageView {
  return {
    id,
    type: "text",
    content: `c${id}`,
    createdOn: new Date(Number(id)),
    metadata: {},
    mine: false,
    senderName: "Someone",
    status: "sent",
    readBy: [],
    version: id,
    ...extra,
  };
}

function pending(clientMessageId: string): ChatMessageView {
  return {
    ...server("0"),
    id: `local:${clientMessageId}`,
    clientMessageId,
    mine: true,
    status: "pending",
    version: undefined,
  };
}

it("orders by message id (sequence), whatever the arrival order, pending last", () => {
  const store = new MessageStore(SELF);
  store.setPending(pending("p1"));
  for (const id of ["1003", "1001", "1002"]) expect(store.upsertServer(server(id))).toBe("new");
  expect(store.list().map((m) => m.id)).toEqual(["1001", "1002", "1003", "local:p1"]);
});

it("de-duplicates by id and by client message id", () => {
  const store = new MessageStore(SELF);
  expect(store.upsertServer(server("1001", { clientMessageId: "c1" }))).toBe("new");
  expect(store.upsertServer(server("1001", { clientMessageId: "c1" }))).toBe("unchanged");
  // The same client message stored twice by the service (a retried request): shown once.
  expect(store.upsertServer(server("1002", { clientMessageId: "c1" }))).toBe("duplicate");
  expect(store.list().map((m) => m.id)).toEqual(["1001"]);
});

it("a pending message becomes the server message, announced once", () => {
  const store = new MessageStore(SELF);
  store.setPending(pending("c1"));
  // The send call answered before the event: provisional...
  expect(store.confirmSent("c1", "1005")?.status).toBe("sent");
  expect(store.list().map((m) => m.id)).toEqual(["1005"]);
  // ...and the event (or a poll) announces it as new exactly once.
  expect(store.upsertServer(server("1005", { clientMessageId: "c1" }))).toBe("new");
  expect(store.upsertServer(server("1005", { clientMessageId: "c1" }))).toBe("unchanged");
});

it("edits and deletes replace by version; read receipts mark own messages", () => {
  const store = new MessageStore(SELF);
  store.upsertServer(server("1001", { mine: true }));
  store.upsertServer(server("1002", { mine: true }));
  expect(
    store.upsertServer(
      server("1001", { mine: true, content: "edited", version: "2000", editedOn: new Date() }),
    ),
  ).toBe("updated");
  expect(store.get("1001")?.content).toBe("edited");
  expect(
    store.upsertServer(server("1001", { mine: true, content: "stale", version: "1500" })),
  ).toBe("unchanged");
  expect(
    store.addReceipt({ acsUserId: "8:acs:r_bob", messageId: "1001", readOn: new Date() }),
  ).toBe(true);
  expect(
    store.addReceipt({ acsUserId: "8:acs:r_bob", messageId: "1000", readOn: new Date() }),
  ).toBe(false);
  expect(store.list().map((m) => m.readBy)).toEqual([["8:acs:r_bob"], []]);
});

it("when the service stored a client message twice, every client keeps the first copy", () => {
  const a = new MessageStore(SELF);
  const b = new MessageStore(SELF);
  a.upsertServer(server("1001", { clientMessageId: "c1" }));
  a.upsertServer(server("1002", { clientMessageId: "c1" }));
  b.upsertServer(server("1002", { clientMessageId: "c1" }));
  b.upsertServer(server("1001", { clientMessageId: "c1" }));
  expect(a.list().map((m) => m.id)).toEqual(["1001"]);
  expect(b.list().map((m) => m.id)).toEqual(["1001"]);
});
