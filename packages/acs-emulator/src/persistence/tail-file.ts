// The journal's tail: an append-only JSONL file. `append` resolves after the line is written and
// fsync'ed; appends that arrive while a flush is running are written together by the next flush
// (group commit: one fsync for many records). Compaction pauses it (appends wait in memory, none
// is half-applied) and restarts it as a fresh file holding only what the snapshot lacks.
import { existsSync } from "node:fs";
import { open, stat, truncate, type FileHandle } from "node:fs/promises";
import type { Logger } from "../modules";
import { readLines, replaceFileDurably } from "./durable-files";
import type { JournalRecord } from "./journal";
import { openPrivateFile, restrictToOwner } from "./private-files";
import { isTailHeader, parseRecord, recordLine, TAIL_HEADER, type TailHeader } from "./records";

interface Pending {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface TailFileHooks {
  /** Called after each fsync with the number of records it made durable (observability, tests). */
  readonly onSync?: (records: number) => void;
}

export interface ExistingTail {
  /** Undefined for a tail written before headers existed. */
  readonly header: TailHeader | undefined;
  /** Where records start (after the header line). */
  readonly recordsStart: number;
}

export interface TailFile {
  /** The current file's header (undefined: an old file without one). */
  readonly header: TailHeader | undefined;
  readonly recordsStart: number;
  /** Bytes made durable so far (the end of the last flushed record). */
  readonly bytes: number;
  /** Reads the header of an existing, non-empty file; undefined when there is none. */
  inspect(): Promise<ExistingTail | undefined>;
  /** Applies the records from byte `start` on, cuts off a torn last line, and appends after them. */
  load(start: number, apply: (record: JournalRecord) => void): Promise<void>;
  append(record: JournalRecord): Promise<void>;
  /** Lets the running flush finish and holds new appends in memory until `resume`. */
  pause(): Promise<void>;
  resume(): void;
  /**
   * While paused: replaces the file, crash-safely, by `header` plus the current file's bytes from
   * `from` on, and appends there from now on.
   */
  restart(
    header: TailHeader,
    from: number,
    beforeRename?: () => Promise<void> | void,
  ): Promise<void>;
  close(): Promise<void>;
}

const headerLine = (header: TailHeader, at: Date) =>
  recordLine({ type: TAIL_HEADER, at: at.toISOString(), data: header });

async function readSlice(file: string, from: number, to: number): Promise<Buffer> {
  if (to <= from) return Buffer.alloc(0);
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(to - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    if (bytesRead !== buffer.length) throw new Error(`journal: ${file} is shorter than expected`);
    return buffer;
  } finally {
    await handle.close();
  }
}

export function createTailFile(filePath: string, log: Logger, hooks: TailFileHooks = {}): TailFile {
  let handle: FileHandle | undefined;
  let header: TailHeader | undefined;
  let recordsStart = 0;
  let bytes = 0;
  let queue: Pending[] = [];
  let flushing: Promise<void> | undefined;
  let paused = false;
  let closed = false;

  async function fileHandle(): Promise<FileHandle> {
    // Owner-only: the tail keeps every message since the last compaction, deleted ones included.
    handle ??= await openPrivateFile(filePath, "a");
    return handle;
  }

  async function flushLoop(): Promise<void> {
    while (queue.length > 0 && !paused) {
      const batch = queue;
      queue = [];
      try {
        const fh = await fileHandle();
        const text = batch.map((p) => p.line).join("");
        await fh.appendFile(text, "utf8");
        await fh.sync();
        bytes += Buffer.byteLength(text, "utf8");
        hooks.onSync?.(batch.length);
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    flushing = undefined;
  }

  const kick = () => {
    if (queue.length > 0 && !paused) flushing ??= flushLoop();
  };

  return {
    get header() {
      return header;
    },
    get recordsStart() {
      return recordsStart;
    },
    get bytes() {
      return bytes;
    },

    async inspect() {
      if (!existsSync(filePath)) return undefined;
      await restrictToOwner(filePath);
      const size = (await stat(filePath)).size;
      if (size === 0) return undefined;
      // A header is one short line; 4 KiB is plenty.
      const first = await readSlice(filePath, 0, Math.min(size, 4096));
      const newline = first.indexOf(0x0a);
      if (newline !== -1) {
        try {
          const parsed = JSON.parse(first.toString("utf8", 0, newline)) as {
            type?: unknown;
            data?: unknown;
          };
          if (parsed.type === TAIL_HEADER && isTailHeader(parsed.data)) {
            return { header: parsed.data, recordsStart: newline + 1 };
          }
        } catch {
          // Not a header: an old tail, or an unreadable first record (reported by load).
        }
      }
      return { header: undefined, recordsStart: 0 };
    },

    async load(start, apply) {
      const existing = await this.inspect();
      if (!existing) return;
      header = existing.header;
      recordsStart = existing.recordsStart;
      let lineNumber = 0;
      const { completeEnd, size } = await readLines(filePath, start, (line) => {
        lineNumber += 1;
        const record = parseRecord(line, { file: filePath, line: lineNumber }, log);
        if (record && record.type !== TAIL_HEADER) apply(record);
      });
      bytes = Math.max(completeEnd, start);
      if (bytes < size) {
        log.warn("journal: ignoring a torn last line (interrupted write)", { file: filePath });
        await truncate(filePath, bytes);
      }
    },

    append(record) {
      if (closed) return Promise.reject(new Error("journal is closed"));
      return new Promise<void>((resolve, reject) => {
        queue.push({ line: recordLine(record), resolve, reject });
        kick();
      });
    },

    async pause() {
      paused = true;
      await flushing;
    },

    resume() {
      paused = false;
      kick();
    },

    async restart(next, from, beforeRename) {
      const at = new Date();
      const kept = existsSync(filePath) ? await readSlice(filePath, from, bytes) : Buffer.alloc(0);
      const first = headerLine(next, at);
      const written = await replaceFileDurably(filePath, [first, kept], beforeRename);
      await handle?.close();
      handle = undefined;
      header = next;
      recordsStart = Buffer.byteLength(first, "utf8");
      bytes = written;
    },

    async close() {
      closed = true;
      paused = false;
      kick();
      while (flushing) await flushing;
      await handle?.close();
      handle = undefined;
    },
  };
}
