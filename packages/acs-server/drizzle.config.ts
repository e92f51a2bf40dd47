// drizzle-kit: `pnpm db:generate` writes SQL migrations for src/db/schema.ts into MIGRATIONS_FOLDER.
import path from "node:path";

import { defineConfig } from "drizzle-kit";

import { MIGRATIONS_FOLDER } from "./src/db/migrations-folder";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  // drizzle-kit takes `out` relative to where it runs (an absolute path gets "./" prepended).
  out: path.relative(process.cwd(), MIGRATIONS_FOLDER),
});
