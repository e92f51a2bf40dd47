// Restart time with 100 000 chat messages on a data dir (start-up including replay, until the
// emulator answers), from a compacted journal (snapshot + empty tail) and from an uncompacted
// tail (a run that was killed before it compacted), against two baselines measured in the same
// run: start-up on a data dir without a journal, and reading + JSON.parse of the same snapshot
// bytes. Prints numbers; never fails on them.
import { cp, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ChatClient } from "@azure/communication-chat";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { startEmulator, type EmulatorOptions } from "../src/index";
import { createLogger } from "../src/log";
import type { MessageState } from "../src/chat/model";
import { chatRecord } from "../src/chat/state";
import { createFileJournal, type CompactionResult } from "../src/persistence/file-journal";
import { JOURNAL_FILE, SNAPSHOT_FILE } from "../src/server";

const USERS = 10;
const THREADS = 100;
const MESSAGES = 100_000;
const ROUNDS = 5;
const GOAL_MS = 2000;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Users and threads through the SDK, then MESSAGES records as sendMessage journals them. */
async function buildDataDir(dir: string): Promise<{ token: string; threadId: string }> {
  const emulator = await startEmulator({ port: 0, dataDir: dir, logLevel: "silent" });
  const tls = { tlsOptions: { ca: emulator.caCertPem } };
  const identity = new CommunicationIdentityClient(emulator.connectionString, tls);
  const users = await Promise.all(
    Array.from({ length: USERS }, () => identity.createUserAndToken(["chat"])),
  );
  const [first] = users;
  if (!first) throw new Error("no user");
  const chat = new ChatClient(
    emulator.endpoint,
    new AzureCommunicationTokenCredential(first.token),
    tls,
  );
  const participants = users.map((u) => ({ id: u.user }));
  const threadIds: string[] = [];
  for (let i = 0; i < THREADS; i += 1) {
    const { chatThread } = await chat.createChatThread({ topic: `thread ${i}` }, { participants });
    threadIds.push(chatThread?.id ?? "");
  }
  await emulator.close();

  const journal = createFileJournal(dir, createLogger("silent"));
  await journal.replay(() => undefined);
  const start = Date.now() + 1000;
  const appends: Promise<void>[] = [];
  for (let i = 0; i < MESSAGES; i += 1) {
    const threadId = threadIds[i % THREADS] ?? "";
    const sender = users[i % USERS]?.user.communicationUserId ?? "";
    const id = String(start + i);
    const createdOn = new Date(start + i);
    const message: MessageState = {
      id,
      type: "text",
      sequenceId: 3 + Math.floor(i / THREADS),
      version: id,
      content: { message: `Message ${i}: about the length of an ordinary line of chat text.` },
      senderDisplayName: `User ${i % USERS}`,
      createdOn: createdOn.toISOString(),
      senderId: sender,
    };
    appends.push(journal.append(chatRecord("chat.message.sent", createdOn, { threadId, message })));
  }
  await Promise.all(appends);
  await journal.close();
  return { token: first.token, threadId: threadIds[0] ?? "" };
}

/** Milliseconds from startEmulator() until it listens, checked by reading the newest message. */
async function timeStart(dir: string, check?: { token: string; threadId: string }) {
  let compacted: ((result: CompactionResult) => void) | undefined;
  const compaction = new Promise<CompactionResult>((resolve) => (compacted = resolve));
  const options: EmulatorOptions = {
    port: 0,
    dataDir: dir,
    logLevel: "silent",
    compaction: { onCompaction: (result) => compacted?.(result) },
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const emulator = await startEmulator(options);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  if (check) {
    const chat = new ChatClient(
      emulator.endpoint,
      new AzureCommunicationTokenCredential(check.token),
      { tlsOptions: { ca: emulator.caCertPem } },
    );
    let newest = "";
    for await (const message of chat
      .getChatThreadClient(check.threadId)
      .listMessages({ maxPageSize: 1 })) {
      newest = message.sequenceId;
      break;
    }
    if (Number(newest) !== 2 + MESSAGES / THREADS)
      throw new Error(`restart lost messages: newest sequenceId ${newest}`);
  }
  return { ms, cpuMs, emulator, compaction };
}

export default async function restartBench(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), "acs-emulator-restart-bench-"));
  const built = path.join(root, "built");
  const empty = path.join(root, "empty");
  const work = path.join(root, "work");
  try {
    const check = await buildDataDir(built);
    const tailBytes = (await stat(path.join(built, JOURNAL_FILE))).size;

    // A data dir with keys and certificates but no journal.
    await cp(built, empty, { recursive: true });
    await rm(path.join(empty, JOURNAL_FILE));

    const fromTail: number[] = [];
    const compactions: number[] = [];
    const fromSnapshot: number[] = [];
    const fromSnapshotCpu: number[] = [];
    const emptyStart: number[] = [];
    const parseOnly: number[] = [];
    let snapshotBytes = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      await rm(work, { recursive: true, force: true });
      await cp(built, work, { recursive: true });
      const killed = await timeStart(work, check);
      fromTail.push(killed.ms);
      compactions.push((await killed.compaction).durationMs);
      await killed.emulator.close();

      const compacted = await timeStart(work, check);
      fromSnapshot.push(compacted.ms);
      fromSnapshotCpu.push(compacted.cpuMs);
      await compacted.emulator.close();

      const bare = await timeStart(empty);
      emptyStart.push(bare.ms);
      await bare.emulator.close();

      const started = performance.now();
      const text = await readFile(path.join(work, SNAPSHOT_FILE), "utf8");
      let lines = 0;
      for (const line of text.split("\n")) if (line !== "") lines += JSON.parse(line) ? 1 : 0;
      parseOnly.push(performance.now() - started);
      snapshotBytes = Buffer.byteLength(text);
      if (lines === 0) throw new Error("empty snapshot");
    }

    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    const snapshotMs = median(fromSnapshot);
    console.log(
      `restart with ${MESSAGES} messages (${THREADS} threads, ${USERS} users; ${ROUNDS} rounds, medians):`,
    );
    console.log(
      `  from snapshot (${mib(snapshotBytes)}) + empty tail: ${ms(snapshotMs)} (goal ≤ ${GOAL_MS} ms: ${snapshotMs <= GOAL_MS ? "met" : "MISSED"})`,
    );
    console.log(
      `    CPU time of that start-up: ${ms(median(fromSnapshotCpu))} (less sensitive to other processes' load)`,
    );
    console.log(
      `  from an uncompacted tail (${mib(tailBytes)}): ${ms(median(fromTail))} until listening, then compaction at start in the background ${ms(median(compactions))}`,
    );
    console.log(`  baseline: start-up on a data dir without journal: ${ms(median(emptyStart))}`);
    console.log(
      `  baseline: readFile + JSON.parse of the snapshot's lines: ${ms(median(parseOnly))}`,
    );
    console.log(
      `  ratios: restart from snapshot = ${(snapshotMs / median(parseOnly)).toFixed(2)}× the parse alone, ${(snapshotMs / median(emptyStart)).toFixed(2)}× an empty start; replay work beyond the empty start = ${ms(snapshotMs - median(emptyStart))}`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
