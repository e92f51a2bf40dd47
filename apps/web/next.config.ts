import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { MIGRATIONS_FOLDER } from "@acs-stack/acs-server/migrations-folder";
import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./src/server/http/security-headers";

/** The migrations folder as the tracing globs take it: relative to this app, with "/". */
const migrations = relative(dirname(fileURLToPath(import.meta.url)), MIGRATIONS_FOLDER)
  .split("\\")
  .join("/");

const config: NextConfig = {
  output: "standalone",
  // The monorepo root, so the standalone output carries the workspace packages it uses.
  outputFileTracingRoot: fileURLToPath(new URL("../..", import.meta.url)),
  // acs-server applies its SQL migrations at start-up; they are read from disk, not imported, from
  // MIGRATIONS_FOLDER, which names the same place inside this output. The migrator reads the .sql
  // files and the journal (not the schema snapshots, which drizzle-kit uses).
  outputFileTracingIncludes: {
    "/**": [`${migrations}/*.sql`, `${migrations}/meta/_journal.json`],
  },
  // Internal packages are consumed from TypeScript source. The emulator is not among them: acs-server
  // imports it only in development (src/control-plane/emulator-package.ts), so production has none.
  transpilePackages: ["@acs-stack/acs-client", "@acs-stack/acs-server", "@acs-stack/config"],
  // The database engines are Node-only server dependencies.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  // Headers that never vary, on every response (static assets included). The Content-Security-Policy
  // (a nonce per page) and HSTS (production over https only) come from src/proxy.ts and the tRPC route.
  headers: () => Promise.resolve([{ source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] }]),
};

export default config;
