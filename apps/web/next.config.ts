import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const config: NextConfig = {
  output: "standalone",
  // The monorepo root, so the standalone output carries the workspace packages it uses.
  outputFileTracingRoot: fileURLToPath(new URL("../..", import.meta.url)),
  // acs-server applies its SQL migrations at start-up; they are read from disk, not imported.
  outputFileTracingIncludes: { "/**": ["../../packages/acs-server/drizzle/**/*"] },
  // Internal packages are consumed from TypeScript source.
  transpilePackages: ["@acs-stack/acs-client", "@acs-stack/acs-server", "@acs-stack/config"],
  // The emulator and the database engines are Node-only server dependencies.
  serverExternalPackages: ["@electric-sql/pglite", "@acs-stack/acs-emulator", "pg"],
  poweredByHeader: false,
};

export default config;
