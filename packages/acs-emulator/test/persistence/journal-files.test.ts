// The snapshot/tail files themselves: a damaged snapshot stops the start, and records no module
// knows (e.g. from a newer emulator) survive compaction unchanged.
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { CompactionResult } from "../../src/persistence/file-journal";
import { JOURNAL_FILE, SNAPSHOT_FILE } from "../../src/server";
import { startTestEmulator } from "../support/emulator";
import { jsonLines } from "./helpers";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "acs-emulator-journal-files-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs an emulator on `dataDir` until its start compaction is done. */
async function startAndCompact(): Promise<CompactionResult> {
  let done!: (result: CompactionResult) => void;
  const compacted = new Promise<CompactionResult>((resolve) => (done = resolve));
  const emulator = await startTestEmulator({
    inMemory: false,
    dataDir,
    compaction: { onCompaction: done },
  });
  try {
    return await compacted;
  } finally {
    await emulator.close();
  }
}

it("refuses to start from a snapshot that lost its end", async () => {
  const first = await startTestEmulator({ inMemory: false, dataDir });
  await first.identityClient().createUser();
  await first.close();
  await startAndCompact();
  const snapshot = path.join(dataDir, SNAPSHOT_FILE);
  const lines = (await readFile(snapshot, "utf8")).split("\n").filter(Boolean);
  expect(lines.at(-1)).toContain('"snapshot.end"');
  await writeFile(snapshot, `${lines.slice(0, -1).join("\n")}\n`);

  await expect(startTestEmulator({ inMemory: false, dataDir })).rejects.toThrow(
    "is damaged (incomplete: its snapshot.end line is missing or wrong)",
  );
});

it("carries records no module knows into the snapshot unchanged", async () => {
  const first = await startTestEmulator({ inMemory: false, dataDir });
  await first.identityClient().createUser();
  await first.close();
  const future = { type: "future.thing", at: "2026-11-29T00:00:00.000Z", data: { kept: true } };
  await appendFile(path.join(dataDir, JOURNAL_FILE), `${JSON.stringify(future)}\n`);

  await startAndCompact();
  expect(await jsonLines(path.join(dataDir, SNAPSHOT_FILE))).toContainEqual(future);
  // Compacted again from the snapshot (the tail gets a record, so the next start compacts).
  const second = await startTestEmulator({ inMemory: false, dataDir });
  await second.identityClient().createUser();
  await second.close();
  await startAndCompact();
  expect(await jsonLines(path.join(dataDir, SNAPSHOT_FILE))).toContainEqual(future);
});
