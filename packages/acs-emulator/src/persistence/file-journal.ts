// The data dir's journal: `snapshot.jsonl` (today's state, as records) plus `journal.jsonl` (the
// tail: records since). Compaction rewrites the snapshot from the modules' state and starts a
// fresh tail, each step crash-safe (temp file, fsync, rename, fsync the directory), at start and
// whenever the tail passes its threshold. Appends go on during a compaction: the snapshot covers
// the tail up to a byte offset, and the fresh tail keeps what came after it.
import { randomUUID } from "node:crypto";
import { rm, stat } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Logger } from "../modules";
import { TEMP_SUFFIX } from "./durable-files";
import type { Journal, SnapshotSource } from "./journal";
import { readSnapshot, snapshotLines, writeSnapshot } from "./snapshot-file";
import { createTailFile, type TailFileHooks } from "./tail-file";

export const JOURNAL_FILE = "journal.jsonl";
export const SNAPSHOT_FILE = "snapshot.jsonl";
/** Default compaction threshold of the tail (or the last snapshot's size, if larger). */
export const DEFAULT_COMPACT_THRESHOLD_BYTES = 16 * 1024 * 1024;

/** Points inside a compaction where a test can stop (or kill) the process. */
export type CompactionStep =
  /** The new snapshot is written and fsync'ed under a temp name, not yet renamed. */
  | "snapshot-written"
  /** The snapshot is in place; the tail still holds what it covers. */
  | "snapshot-renamed"
  /** The fresh tail is written under a temp name; appends are held until it is in place. */
  | "tail-written";

export interface CompactionResult {
  readonly reason: "start" | "threshold";
  /** Records in the snapshot. */
  readonly records: number;
  readonly snapshotBytes: number;
  /** Tail bytes (records only) before and after. */
  readonly tailBytesBefore: number;
  readonly tailBytesAfter: number;
  readonly durationMs: number;
}

export interface CompactionOptions {
  /** Compact when the tail's records pass this many bytes, or the last snapshot's size if larger (default 16 MiB). */
  readonly thresholdBytes?: number;
  /** Called after each completed compaction. */
  readonly onCompaction?: (result: CompactionResult) => void;
  /** Test hook: awaited at each step of a compaction. */
  readonly onStep?: (step: CompactionStep) => Promise<void> | void;
}

export interface FileJournalOptions extends TailFileHooks {
  readonly compaction?: CompactionOptions;
}

export class JournalMismatchError extends Error {}

export function createFileJournal(
  dir: string,
  log: Logger,
  options: FileJournalOptions = {},
): Journal {
  const snapshotPath = path.join(dir, SNAPSHOT_FILE);
  const tailPath = path.join(dir, JOURNAL_FILE);
  const compaction = options.compaction ?? {};
  const thresholdBytes = compaction.thresholdBytes ?? DEFAULT_COMPACT_THRESHOLD_BYTES;
  let source: SnapshotSource | undefined;
  let running: Promise<void> | undefined;
  let lastSnapshotBytes = 0;
  let closed = false;

  const tail = createTailFile(tailPath, log, {
    onSync(records) {
      options.onSync?.(records);
      if (tailRecordBytes() >= Math.max(thresholdBytes, lastSnapshotBytes)) schedule("threshold");
    },
  });
  const tailRecordBytes = () => tail.bytes - tail.recordsStart;

  function schedule(reason: CompactionResult["reason"]): void {
    if (running || closed || !source) return;
    running = compact(reason, source)
      .catch((error: unknown) => {
        // The previous snapshot and the tail still hold everything: nothing is lost, retry later.
        log.error("journal: compaction failed", { error: String(error) });
      })
      .finally(() => {
        running = undefined;
      });
  }

  async function compact(reason: CompactionResult["reason"], capture: SnapshotSource) {
    const started = performance.now();
    const step = async (name: CompactionStep) => compaction.onStep?.(name);
    const tailBytesBefore = tailRecordBytes();

    // 1. Capture the state at a tail position: with flushing paused and every acknowledged record
    //    applied (their continuations run before the next macrotask), state == tail[0, offset).
    await tail.pause();
    let lines: string[];
    let records: number;
    let offset: number;
    const snapshotId = randomUUID();
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      offset = tail.bytes;
      const at = new Date();
      ({ lines, records } = snapshotLines(
        { id: snapshotId, tail: tail.header?.id ?? null, offset },
        capture(at),
        at,
      ));
    } finally {
      tail.resume();
    }

    // 2. The snapshot replaces the old one; appends meanwhile go on to the tail after `offset`.
    const snapshotBytes = await writeSnapshot(snapshotPath, lines, () => step("snapshot-written"));
    await step("snapshot-renamed");

    // 3. A fresh tail with only the records after `offset`; appends wait the few ms it takes.
    await tail.pause();
    try {
      await tail.restart({ id: randomUUID(), base: snapshotId }, offset, () =>
        step("tail-written"),
      );
    } finally {
      tail.resume();
    }
    lastSnapshotBytes = snapshotBytes;
    const result: CompactionResult = {
      reason,
      records,
      snapshotBytes,
      tailBytesBefore,
      tailBytesAfter: tailRecordBytes(),
      durationMs: performance.now() - started,
    };
    log.info("journal compacted", { ...result, durationMs: Math.round(result.durationMs) });
    compaction.onCompaction?.(result);
  }

  return {
    append: (record) => tail.append(record),

    async replay(apply) {
      // Leftovers of a compaction interrupted before its rename (they may hold deleted text).
      await rm(`${snapshotPath}${TEMP_SUFFIX}`, { force: true });
      await rm(`${tailPath}${TEMP_SUFFIX}`, { force: true });

      const snapshot = await readSnapshot(snapshotPath, log, apply);
      if (snapshot) lastSnapshotBytes = (await stat(snapshotPath)).size;
      const existing = await tail.inspect();
      if (!existing) {
        await tail.restart({ id: randomUUID(), base: snapshot?.id ?? null }, 0);
        return;
      }
      let start: number;
      if (snapshot && (existing.header?.id ?? null) === snapshot.tail) {
        // Interrupted after the snapshot's rename: the tail still holds what it covers.
        start = snapshot.offset;
        if (start < existing.recordsStart || start > (await stat(tailPath)).size) {
          throw new JournalMismatchError(
            `${snapshotPath} covers ${tailPath} up to byte ${start}, beyond its end.`,
          );
        }
      } else if ((existing.header?.base ?? null) === (snapshot?.id ?? null)) {
        start = existing.recordsStart;
      } else {
        throw new JournalMismatchError(
          snapshot
            ? `${tailPath} does not continue ${snapshotPath} (was one of them replaced?); refusing to start with partial state.`
            : `${tailPath} continues a snapshot, but ${snapshotPath} is missing; refusing to start with partial state.`,
        );
      }
      await tail.load(start, apply);
    },

    enableCompaction(capture) {
      source = capture;
      // At start: fold whatever the tail holds (records since the last run, or a compaction
      // interrupted halfway) into a fresh snapshot.
      if (tailRecordBytes() > 0) schedule("start");
    },

    async close() {
      closed = true;
      while (running) await running;
      await tail.close();
    },
  };
}
