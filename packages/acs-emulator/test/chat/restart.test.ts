// Chat state survives close() + startEmulator() on the same data dir (journal replay), read back
// through the official SDK.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { collect, startChatHarness, type ChatHarness } from "./helpers";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "acs-emulator-chat-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function snapshot(h: ChatHarness, token: string, threadId: string) {
  const client = h.clientFor(token);
  const thread = client.getChatThreadClient(threadId);
  return {
    properties: await thread.getProperties(),
    messages: await collect(thread.listMessages({ maxPageSize: 2 })),
    participants: await collect(thread.listParticipants()),
    receipts: await collect(thread.listReadReceipts()),
    threads: await collect(client.listChatThreads()),
  };
}

it("keeps threads, messages, edits, deletions, participants, receipts and idempotency across a restart", async () => {
  const first = await startChatHarness({ inMemory: false, dataDir });
  let second: ChatHarness | undefined;
  try {
    const [alice, bob, dave] = await Promise.all([first.user(), first.user(), first.user()]);
    const idempotencyToken = randomUUID();
    const created = await alice.client.createChatThread(
      { topic: "Persist" },
      {
        participants: [{ id: bob.identifier, displayName: "Bob" }, { id: dave.identifier }],
        metadata: { x: "y" },
        idempotencyToken,
      },
    );
    const threadId = created.chatThread?.id ?? "";
    const a = alice.client.getChatThreadClient(threadId);
    const kept = await a.sendMessage({ content: "kept" }, { metadata: { k: "v" } });
    const edited = await a.sendMessage({ content: "draft" });
    await a.updateMessage(edited.id, { content: "edited" });
    const deleted = await a.sendMessage({ content: "gone" });
    await a.deleteMessage(deleted.id);
    await bob.client.getChatThreadClient(threadId).sendReadReceipt({ chatMessageId: kept.id });
    await a.updateTopic("Persisted");
    await first.emulator.identityClient().deleteUser(dave.identifier);
    const removedThread =
      (await alice.client.createChatThread({ topic: "Deleted" })).chatThread?.id ?? "";
    await alice.client.deleteChatThread(removedThread);
    const before = await snapshot(first, alice.token, threadId);
    await first.close();

    second = await startChatHarness({ inMemory: false, dataDir });
    const after = await snapshot(second, alice.token, threadId);
    expect(after).toEqual(before);
    expect(after.properties.topic).toBe("Persisted");
    expect(after.messages.find((m) => m.id === edited.id)?.content?.message).toBe("edited");
    expect(after.messages.find((m) => m.id === deleted.id)?.deletedOn).toBeInstanceOf(Date);
    expect(after.receipts.map((r) => r.chatMessageId)).toEqual([kept.id]);
    expect(after.participants).toHaveLength(2);
    expect(after.threads.find((t) => t.id === removedThread)?.deletedOn).toBeInstanceOf(Date);

    const client = second.clientFor(alice.token);
    const replay = await client.createChatThread({ topic: "Persist" }, { idempotencyToken });
    expect(replay.chatThread?.id).toBe(threadId);
    const next = await client
      .getChatThreadClient(threadId)
      .sendMessage({ content: "after restart" });
    expect(BigInt(next.id)).toBeGreaterThan(BigInt(deleted.id));
    const newest = await collect(
      client.getChatThreadClient(threadId).listMessages({ maxPageSize: 1 }),
    );
    expect(Number(newest[0]?.sequenceId)).toBeGreaterThan(
      Math.max(...before.messages.map((m) => Number(m.sequenceId))),
    );
  } finally {
    await first.close();
    await second?.close();
  }
  first.recorder.expectNoSpecViolations();
  second.recorder.expectNoSpecViolations();
});
