// Chat message operations through the official ChatThreadClient over HTTPS; every response spec-validated.
import type { ChatThreadClient } from "@azure/communication-chat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  collect,
  collectPages,
  failure,
  startChatHarness,
  type ChatHarness,
  type ChatUser,
} from "./helpers";

let h: ChatHarness;
let alice: ChatUser;
let bob: ChatUser;

beforeAll(async () => {
  h = await startChatHarness();
  [alice, bob] = await Promise.all([h.user(), h.user()]);
});
afterAll(async () => {
  await h.close();
  h.recorder.expectNoSpecViolations();
  expect(h.recorder.checked()).toBeGreaterThan(10);
});

async function newThread(): Promise<{ a: ChatThreadClient; b: ChatThreadClient; id: string }> {
  const r = await alice.client.createChatThread(
    { topic: "Messages" },
    { participants: [{ id: bob.identifier, displayName: "Bob" }] },
  );
  const id = r.chatThread?.id ?? "";
  return { id, a: alice.client.getChatThreadClient(id), b: bob.client.getChatThreadClient(id) };
}

describe("sendMessage / getMessage", () => {
  it("returns numeric, strictly increasing ids and stores type, sender, metadata", async () => {
    const { a, b } = await newThread();
    const first = await a.sendMessage(
      { content: "hello" },
      { senderDisplayName: "Alice", metadata: { k: "v" } },
    );
    const second = await b.sendMessage({ content: "<p>hi</p>" }, { type: "html" });
    expect(first.id).toMatch(/^\d+$/);
    expect(BigInt(second.id)).toBeGreaterThan(BigInt(first.id));

    const m = await b.getMessage(first.id);
    expect(m).toMatchObject({
      id: first.id,
      type: "text",
      content: { message: "hello" },
      senderDisplayName: "Alice",
      sender: { kind: "communicationUser", communicationUserId: alice.id },
      metadata: { k: "v" },
    });
    expect(m.sequenceId).toMatch(/^\d+$/);
    expect(m.version).toBe(first.id);
    expect(m.createdOn).toBeInstanceOf(Date);
    const html = await a.getMessage(second.id);
    expect(html.type).toBe("html");
    // The participant's display name is used when the sender gives none.
    expect(html.senderDisplayName).toBe("Bob");
    expect(Number(html.sequenceId)).toBeGreaterThan(Number(m.sequenceId));
  });

  it("rejects content over 28 KB (400) and accepts exactly 28 KB", async () => {
    const { a } = await newThread();
    const ok = await a.sendMessage({ content: "x".repeat(28 * 1024) });
    expect(ok.id).toMatch(/^\d+$/);
    const tooBig = await failure(a.sendMessage({ content: "é".repeat(14 * 1024 + 1) }));
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.message).toMatch(/28 KB/);
  });

  it("answers 404 for an unknown message id", async () => {
    const { a } = await newThread();
    expect((await failure(a.getMessage("123"))).statusCode).toBe(404);
  });
});

describe("listMessages", () => {
  it("lists newest first, including the thread-created system messages, across pages", async () => {
    const { a } = await newThread();
    const sent: string[] = [];
    for (let i = 0; i < 7; i += 1) sent.push((await a.sendMessage({ content: `m${i}` })).id);

    const { items, sizes } = await collectPages(a.listMessages({ maxPageSize: 3 }).byPage());
    expect(sizes).toEqual([3, 3, 3]);
    const userMessages = items.filter((m) => m.type === "text");
    expect(userMessages.map((m) => m.id)).toEqual([...sent].reverse());
    const sequence = items.map((m) => Number(m.sequenceId));
    expect(sequence).toEqual([...sequence].sort((x, y) => y - x));
    expect(
      items
        .slice(-2)
        .map((m) => m.type)
        .sort(),
    ).toEqual(["participantAdded", "topicUpdated"]);
    const added = items.find((m) => m.type === "participantAdded");
    expect(added?.sender).toBeUndefined();
    expect(added?.content?.participants?.map((p) => p.id)).toEqual(
      expect.arrayContaining([{ kind: "communicationUser", communicationUserId: bob.id }]),
    );
  });

  it("filters by startTime", async () => {
    const { a } = await newThread();
    const old = await a.sendMessage({ content: "old" });
    const cut = new Date((await a.getMessage(old.id)).createdOn.getTime() + 1);
    // Wait for the clock to reach `cut` by polling it (no timers): createdOn has millisecond precision.
    while (Date.now() < cut.getTime()) await Promise.resolve();
    const fresh = await a.sendMessage({ content: "new" });
    const listed = await collect(a.listMessages({ startTime: cut }));
    expect(listed.map((m) => m.id)).toEqual([fresh.id]);
  });
});

describe("updateMessage / deleteMessage", () => {
  it("edits content and metadata (editedOn, new version) and only the sender may", async () => {
    const { a, b } = await newThread();
    const { id } = await a.sendMessage(
      { content: "draft" },
      { metadata: { keep: "1", drop: "2" } },
    );
    await a.updateMessage(id, { content: "final", metadata: { drop: "", extra: "3" } });
    const m = await b.getMessage(id);
    expect(m.content?.message).toBe("final");
    expect(m.metadata).toEqual({ keep: "1", drop: "", extra: "3" });
    expect(m.editedOn).toBeInstanceOf(Date);
    expect(BigInt(m.version)).toBeGreaterThan(BigInt(id));

    const notMine = await failure(b.updateMessage(id, { content: "hijack" }));
    expect(notMine.statusCode).toBe(403);
    const tooBig = await failure(a.updateMessage(id, { content: "x".repeat(28 * 1024 + 1) }));
    expect(tooBig.statusCode).toBe(400);
  });

  it("deletes a message: still listed with deletedOn, without content", async () => {
    const { a, b } = await newThread();
    const { id } = await a.sendMessage({ content: "oops" });
    expect((await failure(b.deleteMessage(id))).statusCode).toBe(403);
    await a.deleteMessage(id);
    const listed = (await collect(b.listMessages())).find((m) => m.id === id);
    expect(listed?.deletedOn).toBeInstanceOf(Date);
    expect(listed?.content?.message).toBeUndefined();
    expect((await b.getMessage(id)).deletedOn).toBeInstanceOf(Date);
    // Deleting again is harmless.
    await a.deleteMessage(id);
  });
});
