// Where acs-server's SQL migrations live: `drizzle/` of this package, written by drizzle-kit
// (drizzle.config.ts) and read by createDatabase on open. The one place that names it.
//
// Built from this file's own location with path.join, not `new URL("../../drizzle", import.meta.url)`:
// Turbopack treats that pattern as an asset import of a directory and fails. Bundled by Next.js,
// `import.meta.url` still names this source file under the output's root (the standalone output and
// Vercel's functions carry the migrations at the same place: apps/web/next.config.ts), so the path
// holds there too.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const MIGRATIONS_FOLDER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "drizzle",
);
