// Journal compaction, through the official SDKs on a data dir: at start and past the threshold
// the tail is folded into a snapshot of today's state; a restart from it answers exactly as before,
// no acknowledged append made during a compaction is lost, and deleted text leaves the disk.
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CompactionResult } from "../../src/persistence/file-journal";
import { JOURNAL_FILE, SNAPSHOT_FILE } from "../../src/server";
import { collect, failure, startChatHarness, type ChatHarness } from "../chat/helpers";
import { startTestEmulator } from "../support/emulator";
import { filesContaining, filesIn, jsonLines } from "./helpers";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "acs-emulator-compaction-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts on `dataDir`; `compacted` resolves with the first compaction of this run. */
async function startOnDataDir(thresholdBytes?: number) {
  const results: CompactionResult[] = [];
  let first!: (result: CompactionResult) => void;
  const compacted = new Promise<CompactionResult>((resolve) => (first = resolve));
  const harness = await startChatHarness({
    inMemory: false,
    dataDir,
    compaction: {
      thresholdBytes,
      onCompaction(result) {
        results.push(result);
        first(result);
      },
    },
  });
  return { harness, compacted, results };
}

async function view(h: ChatHarness, token: string, threadId: string) {
  const client = h.clientFor(token);
  const thread = client.getChatThreadClient(threadId);
  return {
    properties: await thread.getProperties(),
    messages: await collect(thread.listMessages({ maxPageSize: 3 })),
    participants: await collect(thread.listParticipants()),
    receipts: await collect(thread.listReadReceipts()),
    threads: await collect(client.listChatThreads()),
  };
}

describe("journal compaction", () => {
  it("folds the tail into a snapshot at start, and a restart from it answers as before", async () => {
    const { harness: first } = await startOnDataDir();
    const identity = first.emulator.identityClient();
    const [alice, bob, dave, carol] = await Promise.all([
      first.user(),
      first.user(),
      first.user(),
      first.user(),
    ]);
    const idempotencyToken = randomUUID();
    const threadId =
      (
        await alice.client.createChatThread(
          { topic: "Compact" },
          {
            participants: [{ id: bob.identifier, displayName: "Bob" }, { id: dave.identifier }],
            metadata: { x: "y" },
            idempotencyToken,
          },
        )
      ).chatThread?.id ?? "";
    const a = alice.client.getChatThreadClient(threadId);
    const kept = await a.sendMessage({ content: "kept" }, { metadata: { k: "v" } });
    const edited = await a.sendMessage({ content: "draft" });
    await a.updateMessage(edited.id, { content: "edited" });
    const deleted = await a.sendMessage({ content: "gone" });
    await a.deleteMessage(deleted.id);
    await bob.client.getChatThreadClient(threadId).sendReadReceipt({ chatMessageId: kept.id });
    await a.updateTopic("Compacted");
    await identity.deleteUser(dave.identifier);
    await identity.revokeTokens(carol.identifier);
    const removedThread =
      (await alice.client.createChatThread({ topic: "Deleted" })).chatThread?.id ?? "";
    await alice.client.deleteChatThread(removedThread);
    const before = await view(first, alice.token, threadId);
    await first.close();
    expect(await filesIn(dataDir)).not.toContain(SNAPSHOT_FILE);

    const second = await startOnDataDir();
    const result = await second.compacted;
    await second.harness.close();
    expect(result).toMatchObject({ reason: "start", tailBytesAfter: 0 });
    expect(result.tailBytesBefore).toBeGreaterThan(0);
    const tail = await jsonLines(path.join(dataDir, JOURNAL_FILE));
    expect(tail.map((line) => line.type)).toEqual(["journal.tail"]);

    const third = await startOnDataDir();
    try {
      expect(await view(third.harness, alice.token, threadId)).toEqual(before);
      const client = third.harness.clientFor(alice.token);
      const repeat = await client.createChatThread({ topic: "Compact" }, { idempotencyToken });
      expect(repeat.chatThread?.id).toBe(threadId);
      const next = await client
        .getChatThreadClient(threadId)
        .sendMessage({ content: "after compaction" });
      expect(BigInt(next.id)).toBeGreaterThan(BigInt(deleted.id));
      const newest = await collect(
        client.getChatThreadClient(threadId).listMessages({ maxPageSize: 1 }),
      );
      expect(Number(newest[0]?.sequenceId)).toBe(
        Math.max(...before.messages.map((m) => Number(m.sequenceId))) + 1,
      );
      // Tokens: a revoked one and a deleted identity's stay refused, a live one works.
      expect(
        (await failure(third.harness.clientFor(carol.token).listChatThreads().next())).statusCode,
      ).toBe(401);
      expect(
        (await failure(third.harness.clientFor(dave.token).listChatThreads().next())).statusCode,
      ).toBe(401);
      await expect(
        third.harness.emulator.identityClient().getToken(dave.identifier, ["chat"]),
      ).rejects.toMatchObject({ statusCode: 404 });
      await expect(
        third.harness.emulator.identityClient().getToken(carol.identifier, ["chat"]),
      ).resolves.toHaveProperty("token");
    } finally {
      await third.harness.close();
    }
    // The tail was empty at that start: nothing to compact.
    expect(third.results).toEqual([]);
    first.recorder.expectNoSpecViolations();
    third.harness.recorder.expectNoSpecViolations();
  });

  it("leaves no deleted or edited-away text in any file of the data dir", async () => {
    const marker = (what: string) => `${what}-${randomUUID()}`;
    const text = {
      kept: marker("kept"),
      editedAway: marker("edited-away"),
      editedTo: marker("edited-to"),
      deleted: marker("deleted"),
      inDeletedThread: marker("in-deleted-thread"),
    };
    const { harness: first } = await startOnDataDir();
    const alice = await first.user();
    const newThread = async (topic: string) =>
      alice.client.getChatThreadClient(
        (await alice.client.createChatThread({ topic })).chatThread?.id ?? "",
      );
    const thread = await newThread("kept thread");
    await thread.sendMessage({ content: text.kept });
    const edited = await thread.sendMessage({ content: text.editedAway });
    await thread.updateMessage(edited.id, { content: text.editedTo });
    const deleted = await thread.sendMessage({ content: text.deleted });
    await thread.deleteMessage(deleted.id);
    const doomed = await newThread("deleted thread");
    await doomed.sendMessage({ content: text.inDeletedThread });
    await alice.client.deleteChatThread(doomed.threadId);
    await first.close();
    // Until compaction the tail still holds every record, as written.
    for (const value of Object.values(text))
      expect(await filesContaining(dataDir, value)).toEqual([JOURNAL_FILE]);

    const second = await startOnDataDir();
    await second.compacted;
    await second.harness.close();
    expect(await filesContaining(dataDir, text.editedAway)).toEqual([]);
    expect(await filesContaining(dataDir, text.deleted)).toEqual([]);
    expect(await filesContaining(dataDir, text.inDeletedThread)).toEqual([]);
    expect(await filesContaining(dataDir, text.kept)).toEqual([SNAPSHOT_FILE]);
    expect(await filesContaining(dataDir, text.editedTo)).toEqual([SNAPSHOT_FILE]);
  });

  it("compacts whenever the tail passes the threshold, losing no append made meanwhile", async () => {
    const run = await startOnDataDir(8 * 1024);
    const alice = await run.harness.user();
    const threadId = (await alice.client.createChatThread({ topic: "Busy" })).chatThread?.id ?? "";
    const thread = alice.client.getChatThreadClient(threadId);
    const sent: string[] = [];
    // Eight writers at once, so records keep arriving while compactions run.
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (let i = 0; i < 25; i += 1)
          sent.push((await thread.sendMessage({ content: `writer ${writer} message ${i}` })).id);
      }),
    );
    await run.harness.close();
    expect(run.results.length).toBeGreaterThan(1);
    expect(run.results.every((r) => r.reason === "threshold")).toBe(true);
    expect(await filesIn(dataDir)).toContain(SNAPSHOT_FILE);

    const again = await startOnDataDir(8 * 1024);
    try {
      const messages = await collect(
        again.harness.clientFor(alice.token).getChatThreadClient(threadId).listMessages(),
      );
      const ids = new Set(messages.map((m) => m.id));
      expect(sent.filter((id) => !ids.has(id))).toEqual([]);
      expect(messages.filter((m) => m.type === "text")).toHaveLength(sent.length);
    } finally {
      await again.harness.close();
    }
  });

  it("reads and compacts a journal written before snapshots existed (no header line)", async () => {
    const first = await startTestEmulator({ inMemory: false, dataDir });
    const users = [
      await first.identityClient().createUser(),
      await first.identityClient().createUser(),
    ];
    await first.close();
    // What an older emulator left: records only, no `journal.tail` header.
    const journal = path.join(dataDir, JOURNAL_FILE);
    const lines = (await readFile(journal, "utf8")).split("\n");
    expect(lines[0]).toContain('"journal.tail"');
    await writeFile(journal, lines.slice(1).join("\n"));

    const second = await startOnDataDir();
    expect((await second.compacted).reason).toBe("start");
    await second.harness.close();
    const third = await startTestEmulator({ inMemory: false, dataDir });
    try {
      for (const user of users)
        await expect(third.identityClient().getToken(user, ["chat"])).resolves.toHaveProperty(
          "token",
        );
    } finally {
      await third.close();
    }
  });

  it("refuses to start when the tail continues a snapshot that is missing", async () => {
    const first = await startOnDataDir();
    await first.harness.user();
    await first.harness.close();
    const second = await startOnDataDir();
    await second.compacted;
    await second.harness.user();
    await second.harness.close();
    await rm(path.join(dataDir, SNAPSHOT_FILE));

    await expect(startTestEmulator({ inMemory: false, dataDir })).rejects.toThrow(
      `${SNAPSHOT_FILE} is missing; refusing to start with partial state`,
    );
  });
});
