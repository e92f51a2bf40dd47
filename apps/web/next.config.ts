import type { NextConfig } from "next";

const config: NextConfig = {
  output: "standalone",
  // Internal packages are consumed from TypeScript source.
  transpilePackages: ["@acs-stack/acs-client", "@acs-stack/acs-server", "@acs-stack/config"],
  // The emulator and the database engines are Node-only server dependencies.
  serverExternalPackages: ["@electric-sql/pglite", "@acs-stack/acs-emulator", "pg"],
  poweredByHeader: false,
};

export default config;
