import { createEslintConfig, layerImports } from "@acs-stack/config/eslint";

export default [
  ...createEslintConfig(),
  // The emulator stands in for ACS: it imports none of our packages (it keeps its own small helpers).
  layerImports({
    files: ["src/**/*.{ts,mjs}"],
    groups: ["@acs-stack/*"],
    reason: "The emulator imports none of our packages.",
  }),
];
