// Participants, typing and read receipts through the official ChatThreadClient; spec-validated.
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
let carol: ChatUser;

beforeAll(async () => {
  h = await startChatHarness();
  [alice, bob, carol] = await Promise.all([h.user(), h.user(), h.user()]);
});
afterAll(async () => {
  await h.close();
  h.recorder.expectNoSpecViolations();
  expect(h.recorder.checked()).toBeGreaterThan(10);
});

const userKind = (u: ChatUser) => ({ kind: "communicationUser", communicationUserId: u.id });

describe("addParticipants / listParticipants / removeParticipant", () => {
  it("adds, lists across pages with skip/maxPageSize, and removes participants with system messages", async () => {
    const r = await alice.client.createChatThread({ topic: "People" });
    const thread = alice.client.getChatThreadClient(r.chatThread?.id ?? "");
    const added = await thread.addParticipants({
      participants: [
        { id: bob.identifier, displayName: "Bob", metadata: { role: "guest" } },
        { id: carol.identifier, displayName: "Carol" },
      ],
    });
    expect(added.invalidParticipants).toBeUndefined();

    const { items, sizes } = await collectPages(
      thread.listParticipants({ maxPageSize: 2 }).byPage(),
    );
    expect(sizes).toEqual([2, 1]);
    expect(items.map((p) => p.id)).toEqual(
      expect.arrayContaining([userKind(alice), userKind(bob), userKind(carol)]),
    );
    expect(items.find((p) => p.displayName === "Bob")?.metadata).toEqual({ role: "guest" });
    const skipped = await collect(thread.listParticipants({ skip: 2 }));
    expect(skipped).toHaveLength(1);

    await thread.removeParticipant(bob.identifier);
    const after = await collect(thread.listParticipants());
    expect(after.map((p) => p.id)).not.toContainEqual(userKind(bob));
    expect(
      (await failure(bob.client.getChatThreadClient(r.chatThread?.id ?? "").getProperties()))
        .statusCode,
    ).toBe(403);

    const types = (await collect(thread.listMessages())).map((m) => m.type);
    expect(types.slice(0, 2)).toEqual(["participantRemoved", "participantAdded"]);
  });

  it("returns invalidParticipants for unknown identities", async () => {
    const r = await alice.client.createChatThread({ topic: "Invalid" });
    const thread = alice.client.getChatThreadClient(r.chatThread?.id ?? "");
    const ghost = `8:acs:${h.emulator.resourceId}_nobody`;
    const result = await thread.addParticipants({
      participants: [{ id: { communicationUserId: ghost } }],
    });
    expect(result.invalidParticipants?.map((e) => e.target)).toEqual([ghost]);
  });

  it("limits a thread to 250 participants (400 beyond)", async () => {
    const identity = h.emulator.identityClient();
    const others: { communicationUserId: string }[] = [];
    for (let batch = 0; batch < 25; batch += 1) {
      others.push(...(await Promise.all(Array.from({ length: 10 }, () => identity.createUser()))));
    }
    const tooMany = await failure(
      alice.client.createChatThread(
        { topic: "Crowd" },
        { participants: others.map((id) => ({ id })) },
      ),
    );
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.message).toMatch(/250/);

    const full = await alice.client.createChatThread(
      { topic: "Crowd" },
      { participants: others.slice(0, 249).map((id) => ({ id })) },
    );
    const thread = alice.client.getChatThreadClient(full.chatThread?.id ?? "");
    expect(await collect(thread.listParticipants())).toHaveLength(250);
    const oneMore = await failure(
      thread.addParticipants({ participants: [{ id: others[249] ?? bob.identifier }] }),
    );
    expect(oneMore.statusCode).toBe(400);
  });

  it("hides messages before shareHistoryTime from a newly added participant", async () => {
    const r = await alice.client.createChatThread({ topic: "History" });
    const threadId = r.chatThread?.id ?? "";
    const thread = alice.client.getChatThreadClient(threadId);
    const old = await thread.sendMessage({ content: "before carol" });
    const share = new Date((await thread.getMessage(old.id)).createdOn.getTime() + 1);
    // Wait for the clock to reach `share` by polling it (no timers): createdOn has millisecond precision.
    while (Date.now() < share.getTime()) await Promise.resolve();
    const recent = await thread.sendMessage({ content: "after the cut" });
    await thread.addParticipants({
      participants: [{ id: carol.identifier, shareHistoryTime: share }],
    });

    const carolThread = carol.client.getChatThreadClient(threadId);
    const seen = (await collect(carolThread.listMessages())).map((m) => m.id);
    expect(seen).toContain(recent.id);
    expect(seen).not.toContain(old.id);
    expect((await failure(carolThread.getMessage(old.id))).statusCode).toBe(404);
    const carolAsParticipant = (await collect(thread.listParticipants())).find(
      (p) =>
        p.displayName === undefined &&
        "communicationUserId" in p.id &&
        p.id.communicationUserId === carol.id,
    );
    expect(carolAsParticipant?.shareHistoryTime?.toISOString()).toBe(share.toISOString());
    // Everyone else still sees the whole history.
    expect((await collect(thread.listMessages())).map((m) => m.id)).toContain(old.id);
  });
});

describe("typing and read receipts", () => {
  it("accepts typing notifications (200) and read receipts (200), listed with paging", async () => {
    const r = await alice.client.createChatThread(
      { topic: "Receipts" },
      { participants: [{ id: bob.identifier }, { id: carol.identifier }] },
    );
    const threadId = r.chatThread?.id ?? "";
    const a = alice.client.getChatThreadClient(threadId);
    expect(await a.sendTypingNotification({ senderDisplayName: "Alice" })).toBe(true);

    const { id } = await a.sendMessage({ content: "read me" });
    await bob.client.getChatThreadClient(threadId).sendReadReceipt({ chatMessageId: id });
    await carol.client.getChatThreadClient(threadId).sendReadReceipt({ chatMessageId: id });
    const missing = await failure(a.sendReadReceipt({ chatMessageId: "999" }));
    expect(missing.statusCode).toBe(404);

    const { items, sizes } = await collectPages(a.listReadReceipts({ maxPageSize: 1 }).byPage());
    expect(sizes).toEqual([1, 1]);
    expect(items.map((x) => x.sender)).toEqual(
      expect.arrayContaining([userKind(bob), userKind(carol)]),
    );
    for (const receipt of items) {
      expect(receipt.chatMessageId).toBe(id);
      expect(receipt.readOn).toBeInstanceOf(Date);
    }
  });
});
