// The data dir holds private keys and a journal that keeps deleted messages: only its owner may
// read it. Modes are set with chmod, so a permissive umask cannot widen them, and files an older
// version left readable are closed on the next start.
import { chmod, mkdir, open, type FileHandle } from "node:fs/promises";

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and parents) if missing and makes it owner-only. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(dir, PRIVATE_DIR_MODE);
}

/** Opens `file` (flags as for fs.open) owner read/write only, before anything is written to it. */
export async function openPrivateFile(file: string, flags: "a" | "w"): Promise<FileHandle> {
  const handle = await open(file, flags, PRIVATE_FILE_MODE);
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** Writes `content` to `file`, owner read/write only. */
export async function writePrivateFile(file: string, content: string): Promise<void> {
  const handle = await openPrivateFile(file, "w");
  try {
    await handle.writeFile(content, "utf8");
  } finally {
    await handle.close();
  }
}

/** Makes an existing file owner read/write only. */
export async function restrictToOwner(file: string): Promise<void> {
  await chmod(file, PRIVATE_FILE_MODE);
}
