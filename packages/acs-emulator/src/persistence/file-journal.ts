// Append-only JSONL journal. `append` resolves after the line is written and fsync'ed; appends
// that arrive while a flush is running are written together by the next flush (group commit:
// one fsync for many records). Replay ignores a torn last line (a crash mid-write) and cuts it
// off so later appends start on a clean line.
import { readFile, truncate, type FileHandle } from "node:fs/promises";
import { existsSync } from "node:fs";
import type { Logger } from "../modules";
import type { Journal, JournalRecord } from "./journal";
import { openPrivateFile, restrictToOwner } from "./private-files";

interface Pending {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function isRecord(value: unknown): value is JournalRecord {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { type?: unknown }).type === "string" &&
    typeof (value as { at?: unknown }).at === "string"
  );
}

export interface FileJournalHooks {
  /** Called after each fsync with the number of records it made durable (observability, tests). */
  readonly onSync?: (records: number) => void;
}

export function createFileJournal(
  filePath: string,
  log: Logger,
  hooks: FileJournalHooks = {},
): Journal {
  let handle: FileHandle | undefined;
  let queue: Pending[] = [];
  let flushing: Promise<void> | undefined;
  let closed = false;

  async function fileHandle(): Promise<FileHandle> {
    // Owner-only: the journal keeps every message, deleted ones included.
    handle ??= await openPrivateFile(filePath, "a");
    return handle;
  }

  async function flushLoop(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const fh = await fileHandle();
        await fh.appendFile(batch.map((p) => p.line).join(""), "utf8");
        await fh.sync();
        hooks.onSync?.(batch.length);
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    flushing = undefined;
  }

  return {
    append(record) {
      if (closed) return Promise.reject(new Error("journal is closed"));
      return new Promise<void>((resolve, reject) => {
        queue.push({ line: `${JSON.stringify(record)}\n`, resolve, reject });
        flushing ??= flushLoop();
      });
    },

    async replay(apply) {
      if (!existsSync(filePath)) return;
      await restrictToOwner(filePath);
      const content = await readFile(filePath, "utf8");
      const lastNewline = content.lastIndexOf("\n");
      const complete = content.slice(0, lastNewline + 1);
      if (lastNewline + 1 < content.length) {
        log.warn("journal: ignoring a torn last line (interrupted write)", { file: filePath });
        await truncate(filePath, Buffer.byteLength(complete, "utf8"));
      }
      let lineNumber = 0;
      for (const line of complete.split("\n")) {
        lineNumber += 1;
        if (line.trim() === "") continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          log.error("journal: skipping an unreadable line", { file: filePath, line: lineNumber });
          continue;
        }
        if (isRecord(parsed)) apply(parsed);
      }
    },

    async close() {
      closed = true;
      if (flushing) await flushing;
      await handle?.close();
      handle = undefined;
    },
  };
}
