// The snapshot file: today's state as journal records between a `snapshot.begin` line (which tail
// position it covers) and a `snapshot.end` line (how many records it holds, so a damaged file is
// refused rather than half-read).
import { existsSync } from "node:fs";
import type { Logger } from "../modules";
import { readLines, replaceFileDurably } from "./durable-files";
import type { JournalRecord } from "./journal";
import { restrictToOwner } from "./private-files";
import {
  isSnapshotHeader,
  parseRecord,
  recordLine,
  SNAPSHOT_BEGIN,
  SNAPSHOT_END,
  type SnapshotHeader,
} from "./records";

export interface SnapshotWritten {
  readonly records: number;
  readonly bytes: number;
}

/** Serialises `records` now (the caller holds the state still), returns the lines to write. */
export function snapshotLines(
  header: SnapshotHeader,
  records: Iterable<JournalRecord>,
  at: Date,
): { lines: string[]; records: number } {
  const stamp = at.toISOString();
  const lines = [recordLine({ type: SNAPSHOT_BEGIN, at: stamp, data: header })];
  for (const record of records) lines.push(recordLine(record));
  const count = lines.length - 1;
  lines.push(recordLine({ type: SNAPSHOT_END, at: stamp, data: { records: count } }));
  return { lines, records: count };
}

/** Writes the snapshot crash-safely (temp file, fsync, rename, fsync the directory). */
export async function writeSnapshot(
  file: string,
  lines: readonly string[],
  beforeRename?: () => Promise<void> | void,
): Promise<number> {
  return replaceFileDurably(file, lines, beforeRename);
}

export class SnapshotDamagedError extends Error {
  constructor(file: string, reason: string) {
    super(`The snapshot ${file} is damaged (${reason}); refusing to start with partial state.`);
  }
}

/** Applies every record of the snapshot; returns its header, or undefined when there is none. */
export async function readSnapshot(
  file: string,
  log: Logger,
  apply: (record: JournalRecord) => void,
): Promise<SnapshotHeader | undefined> {
  if (!existsSync(file)) return undefined;
  await restrictToOwner(file);
  let header: SnapshotHeader | undefined;
  let ended: number | undefined;
  let count = 0;
  let lineNumber = 0;
  await readLines(file, 0, (line) => {
    lineNumber += 1;
    const record = parseRecord(line, { file, line: lineNumber }, log);
    if (!record) throw new SnapshotDamagedError(file, `line ${lineNumber} is unreadable`);
    if (lineNumber === 1) {
      if (record.type !== SNAPSHOT_BEGIN || !isSnapshotHeader(record.data))
        throw new SnapshotDamagedError(file, "no snapshot.begin line");
      header = record.data;
      return;
    }
    if (ended !== undefined) throw new SnapshotDamagedError(file, "lines after snapshot.end");
    if (record.type === SNAPSHOT_END) {
      ended = (record.data as { records?: unknown } | null)?.records === count ? count : -1;
      return;
    }
    count += 1;
    apply(record);
  });
  if (!header || ended !== count)
    throw new SnapshotDamagedError(file, "incomplete: its snapshot.end line is missing or wrong");
  return header;
}
