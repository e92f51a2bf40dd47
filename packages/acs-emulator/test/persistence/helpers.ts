// Looking at a data dir from outside: which files it holds, whether any contains a text.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** Names of the files in `dataDir`, sorted. */
export async function filesIn(dataDir: string): Promise<string[]> {
  return (await readdir(dataDir)).sort();
}

/** Files of `dataDir` whose bytes contain `text` (like `grep -rl`). */
export async function filesContaining(dataDir: string, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of await filesIn(dataDir)) {
    if ((await readFile(path.join(dataDir, name))).includes(text)) found.push(name);
  }
  return found;
}

/** The lines of a JSONL file, parsed. */
export async function jsonLines(file: string): Promise<{ type: string; data: unknown }[]> {
  return (await readFile(file, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as { type: string; data: unknown });
}
