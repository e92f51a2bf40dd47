// File primitives of the journal: replace a file crash-safely (write a temp file, fsync, rename,
// fsync the directory) and read a JSONL file fast, in large chunks, from a byte offset.
import { open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { openPrivateFile } from "./private-files";

/** Bytes gathered before each write call (fewer syscalls than one write per line). */
const WRITE_CHUNK_BYTES = 1 << 20;
const READ_CHUNK_BYTES = 1 << 22;
const NEWLINE = 0x0a;

export const TEMP_SUFFIX = ".tmp";

/** Makes a rename or unlink in `dir` durable (POSIX: the directory entry needs its own fsync). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `file` with `lines` (each already ending in "\n") so that after a crash the file holds
 * either its old or its complete new content, owner-only. `beforeRename` runs once the temp file
 * is durable (test hook for crashing at that point). Returns the bytes written.
 */
export async function replaceFileDurably(
  file: string,
  lines: Iterable<string | Buffer>,
  beforeRename?: () => Promise<void> | void,
): Promise<number> {
  const temp = `${file}${TEMP_SUFFIX}`;
  const handle = await openPrivateFile(temp, "w");
  let bytes = 0;
  try {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      await handle.write(pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes));
      bytes += pendingBytes;
      pending = [];
      pendingBytes = 0;
    };
    for (const line of lines) {
      const buffer = typeof line === "string" ? Buffer.from(line, "utf8") : line;
      pending.push(buffer);
      pendingBytes += buffer.length;
      if (pendingBytes >= WRITE_CHUNK_BYTES) await flush();
    }
    await flush();
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await beforeRename?.();
  await rename(temp, file);
  await syncDirectory(path.dirname(file));
  return bytes;
}

export interface LinesRead {
  /** Offset just after the last complete line ("\n"); bytes after it are a torn write. */
  readonly completeEnd: number;
  /** Size of the file. */
  readonly size: number;
}

/**
 * Calls `onLine` for every complete line of `file` from byte `start` on, with the offset just
 * after that line. Reads in large chunks, so a snapshot of many megabytes costs little more than
 * its JSON.parse.
 */
export async function readLines(
  file: string,
  start: number,
  onLine: (line: string, end: number) => void,
): Promise<LinesRead> {
  const handle = await open(file, "r");
  try {
    const size = (await handle.stat()).size;
    // One buffer, reused: an incomplete line at its end moves to its start before the next read.
    let buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, Math.max(size - start, 1)));
    let carried = 0;
    let position = start;
    let completeEnd = start;
    while (position < size) {
      if (carried === buffer.length) {
        // A line longer than the buffer: grow it.
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger, 0, 0, carried);
        buffer = larger;
      }
      const want = Math.min(buffer.length - carried, size - position);
      const { bytesRead } = await handle.read(buffer, carried, want, position);
      if (bytesRead === 0) break;
      const bufferStart = position - carried;
      const filled = carried + bytesRead;
      position += bytesRead;
      let lineStart = 0;
      for (let nl = buffer.indexOf(NEWLINE); nl !== -1 && nl < filled;) {
        completeEnd = bufferStart + nl + 1;
        onLine(buffer.toString("utf8", lineStart, nl), completeEnd);
        lineStart = nl + 1;
        nl = buffer.indexOf(NEWLINE, lineStart);
      }
      buffer.copy(buffer, 0, lineStart, filled);
      carried = filled - lineStart;
    }
    return { completeEnd, size };
  } finally {
    await handle.close();
  }
}
