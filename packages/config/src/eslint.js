// Shared ESLint flat config: typescript-eslint type-checked rules for every package.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export { contractOnlyImports } from "./eslint-contract.js";

/**
 * @param {{ ignores?: string[] }} [options]
 */
export function createEslintConfig(options = {}) {
  return tseslint.config(
    {
      ignores: [
        "**/node_modules/**",
        "**/.next/**",
        "**/dist/**",
        "**/.reports/**",
        "**/.data/**",
        "**/playwright-report/**",
        "**/test-results/**",
        "**/next-env.d.ts",
        ...(options.ignores ?? []),
      ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: {
        parserOptions: { projectService: true },
      },
      linterOptions: { reportUnusedDisableDirectives: true },
      rules: {
        "@typescript-eslint/consistent-type-imports": [
          "error",
          { prefer: "type-imports", fixStyle: "separate-type-imports" },
        ],
        "@typescript-eslint/no-unused-vars": [
          "error",
          { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
        ],
        "@typescript-eslint/no-misused-promises": [
          "error",
          { checksVoidReturn: { attributes: false } },
        ],
        // The environment is read in exactly one place per package: its env.ts.
        "no-restricted-properties": [
          "error",
          {
            object: "process",
            property: "env",
            message:
              "Read configuration through this package's env.ts, which validates it with zod.",
          },
        ],
      },
    },
    {
      files: ["**/env.ts", "**/*.config.{js,ts,mjs}", "**/scripts/**", "**/bin/**"],
      rules: { "no-restricted-properties": "off" },
    },
    {
      files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
      ...tseslint.configs.disableTypeChecked,
    },
    {
      // A source file a newcomer can hold in mind: split it along its concerns before it grows past this.
      files: ["**/src/**/*.{ts,tsx,js,mjs}"],
      ignores: ["**/*.test.{ts,tsx}", "**/*.spec.{ts,tsx}"],
      rules: { "max-lines": ["error", { max: 400 }] },
    },
  );
}

/**
 * A flat-config block that keeps a package's source below its layer: `files` may not import the
 * modules matching `groups` (gitignore-style patterns), with `reason` as the message.
 * @param {{ files: string[], groups: string[], reason: string }} options
 * @returns {import("eslint").Linter.Config}
 */
export function layerImports({ files, groups, reason }) {
  return {
    files,
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: groups, message: reason }] }],
    },
  };
}

export default createEslintConfig();
