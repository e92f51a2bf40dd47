import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import { contractOnlyImports, createEslintConfig } from "@acs-stack/config/eslint";

export default [
  ...createEslintConfig(),
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
    },
  },
  // Client components run in the browser: from acs-server only the wire contract, at runtime.
  contractOnlyImports({ files: ["src/**/*.{ts,tsx}"], clientModulesOnly: true }),
];
