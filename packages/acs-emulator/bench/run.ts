// Runs every bench/*.bench.ts (each default-exports `async () => void` that prints its results).
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const folder = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv[2];
const files = (await readdir(folder))
  .filter((file) => file.endsWith(".bench.ts") && (!only || file.includes(only)))
  .sort();

for (const file of files) {
  console.log(`\n## ${file}`);
  const module = (await import(new URL(file, import.meta.url).href)) as {
    default: () => Promise<void>;
  };
  await module.default();
}
