import { contractOnlyImports, createEslintConfig } from "@acs-stack/config/eslint";

export default [
  ...createEslintConfig(),
  // Browser code: from acs-server only the wire contract, at runtime (test/ runs the real server).
  contractOnlyImports({ files: ["src/**/*.{ts,tsx}"], ignores: ["**/*.test.{ts,tsx}"] }),
];
