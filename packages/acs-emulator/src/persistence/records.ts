// Parsing journal lines, and the bookkeeping records that tie the tail to its snapshot.
import type { Logger } from "../modules";
import type { JournalRecord } from "./journal";

/** First line of every tail written since compaction exists (older tails have none). */
export const TAIL_HEADER = "journal.tail";
/** First and last line of a snapshot file. */
export const SNAPSHOT_BEGIN = "snapshot.begin";
export const SNAPSHOT_END = "snapshot.end";

export interface TailHeader {
  /** Names this tail file, so a snapshot can say which file its `offset` is in. */
  readonly id: string;
  /** The snapshot this tail continues (null: the tail holds the whole history). */
  readonly base: string | null;
}

export interface SnapshotHeader {
  readonly id: string;
  /** The tail (id, null for a tail without header) and byte offset the snapshot covers up to. */
  readonly tail: string | null;
  readonly offset: number;
}

export function isRecord(value: unknown): value is JournalRecord {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { type?: unknown }).type === "string" &&
    typeof (value as { at?: unknown }).at === "string"
  );
}

/** The record on `line`, or undefined (logged) when the line is not one. */
export function parseRecord(
  line: string,
  where: { file: string; line: number },
  log: Logger,
): JournalRecord | undefined {
  if (line.trim() === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    if (isRecord(parsed)) return parsed;
  } catch {
    // reported below
  }
  log.error("journal: skipping an unreadable line", where);
  return undefined;
}

export function isTailHeader(data: unknown): data is TailHeader {
  const d = data as Partial<TailHeader> | null;
  return (
    typeof d === "object" &&
    d !== null &&
    typeof d.id === "string" &&
    (d.base === null || typeof d.base === "string")
  );
}

export function isSnapshotHeader(data: unknown): data is SnapshotHeader {
  const d = data as Partial<SnapshotHeader> | null;
  return (
    typeof d === "object" &&
    d !== null &&
    typeof d.id === "string" &&
    (d.tail === null || typeof d.tail === "string") &&
    typeof d.offset === "number" &&
    Number.isSafeInteger(d.offset) &&
    d.offset >= 0
  );
}

export const recordLine = (record: JournalRecord): string => `${JSON.stringify(record)}\n`;
