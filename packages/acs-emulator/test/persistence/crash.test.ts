// A real emulator process is SIGKILLed in the middle of a compaction (held at a chosen step by a
// test hook, then killed) and restarted on its data dir: everything the SDKs had seen acknowledged
// (201/200/204) is still there, including what was acknowledged while the compaction ran.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { ChatClient, type ChatThreadClient } from "@azure/communication-chat";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CompactionResult, CompactionStep } from "../../src/persistence/file-journal";
import { JOURNAL_FILE, SNAPSHOT_FILE } from "../../src/server";
import { collect, startChatHarness } from "../chat/helpers";
import { filesIn } from "./helpers";

const packageRoot = fileURLToPath(new URL("../..", import.meta.url));
const fixture = fileURLToPath(new URL("./fixtures/compacting-emulator.ts", import.meta.url));
const THRESHOLD_BYTES = 4096;

let dataDir: string;
let child: ChildProcess | undefined;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "acs-emulator-crash-"));
});
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
  }
  child = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts the fixture; resolves its JSON lines as they come. */
function startChild(stopAt: CompactionStep) {
  const process_ = spawn(
    process.execPath,
    ["--import", "tsx", fixture, dataDir, stopAt, String(THRESHOLD_BYTES)],
    { cwd: packageRoot, stdio: ["ignore", "pipe", "inherit"] },
  );
  child = process_;
  const lines: Record<string, string>[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: process_.stdout }).on("line", (line) => {
    lines.push(JSON.parse(line) as Record<string, string>);
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = once(process_, "exit").then(() => {
    throw new Error("the emulator process exited early");
  });
  exited.catch(() => undefined);
  async function line(key: string): Promise<Record<string, string>> {
    for (;;) {
      const found = lines.find((l) => key in l);
      if (found) return found;
      await Promise.race([new Promise<void>((wake) => waiters.push(wake)), exited]);
    }
  }
  return { process: process_, line };
}

async function sdkClients(connectionString: string, caCertPem: string) {
  const options = { tlsOptions: { ca: caCertPem }, retryOptions: { maxRetries: 0 } };
  const identity = new CommunicationIdentityClient(connectionString, options);
  const { user, token } = await identity.createUserAndToken(["chat"]);
  const endpoint = connectionString.replace(/^endpoint=/, "").split(";")[0] ?? "";
  const chat = new ChatClient(endpoint, new AzureCommunicationTokenCredential(token), options);
  const threadId = (await chat.createChatThread({ topic: "Crash" })).chatThread?.id ?? "";
  return { identity, user, token, threadId, thread: chat.getChatThreadClient(threadId) };
}

/** What must exist on disk when the process dies at `step` (proof it died mid-compaction). */
const FILE_AT_STEP: Record<CompactionStep, string> = {
  "snapshot-written": `${SNAPSHOT_FILE}.tmp`,
  "snapshot-renamed": SNAPSHOT_FILE,
  "tail-written": `${JOURNAL_FILE}.tmp`,
};

describe("killed in the middle of a compaction", () => {
  it.each(Object.keys(FILE_AT_STEP) as CompactionStep[])(
    "at %s: a restart keeps everything acknowledged",
    async (step) => {
      const emulator = startChild(step);
      const ready = await emulator.line("connectionString");
      const { identity, user, token, threadId, thread } = await sdkClients(
        ready.connectionString ?? "",
        ready.caCertPem ?? "",
      );
      const stopped = emulator.line("stoppedAt");
      const acknowledged: string[] = [];
      const send = async (target: ChatThreadClient, content: string) =>
        acknowledged.push((await target.sendMessage({ content })).id);

      // Writes until one of them crosses the threshold and the compaction reaches `step`.
      let held = false;
      void stopped.then(() => (held = true));
      for (let i = 0; !held; i += 1) {
        if (i > 1000) throw new Error("no compaction reached the step");
        await Promise.race([send(thread, `before ${i}`), stopped]);
      }

      let deletedId: string | undefined;
      let editedId: string | undefined;
      const users = [user];
      if (step !== "tail-written") {
        // The compaction is halfway: appends go on and are acknowledged.
        for (let i = 0; i < 5; i += 1) await send(thread, `during ${i}`);
        deletedId = acknowledged[0];
        editedId = acknowledged[1];
        await thread.deleteMessage(deletedId ?? "");
        await thread.updateMessage(editedId ?? "", { content: "edited during compaction" });
        users.push(await identity.createUser());
      }
      expect(await filesIn(dataDir)).toContain(FILE_AT_STEP[step]);
      const exited = once(emulator.process, "exit");
      emulator.process.kill("SIGKILL");
      const [, signal] = (await exited) as [number | null, string | null];
      expect(signal).toBe("SIGKILL");

      let compacted!: (result: CompactionResult) => void;
      const restartCompaction = new Promise<CompactionResult>((resolve) => (compacted = resolve));
      const restarted = await startChatHarness({
        inMemory: false,
        dataDir,
        compaction: { thresholdBytes: THRESHOLD_BYTES, onCompaction: compacted },
      });
      try {
        const chat = restarted.clientFor(token).getChatThreadClient(threadId);
        const messages = await collect(chat.listMessages());
        const byId = new Map(messages.map((m) => [m.id, m]));
        expect(acknowledged.filter((id) => !byId.has(id))).toEqual([]);
        if (deletedId && editedId) {
          expect(byId.get(deletedId)?.deletedOn).toBeInstanceOf(Date);
          expect(byId.get(editedId)?.content?.message).toBe("edited during compaction");
        }
        for (const known of users) {
          await expect(
            restarted.emulator.identityClient().getToken(known, ["chat"]),
          ).resolves.toHaveProperty("token");
        }
        // The start compaction finishes what the killed one began, and leaves no temp file.
        expect((await restartCompaction).reason).toBe("start");
      } finally {
        await restarted.close();
      }
      expect((await filesIn(dataDir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
      expect(existsSync(path.join(dataDir, SNAPSHOT_FILE))).toBe(true);
    },
    // A child process that compiles the sources with tsx on start.
    60_000,
  );
});
