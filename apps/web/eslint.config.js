import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import { contractOnlyImports, createEslintConfig } from "@acs-stack/config/eslint";

/** The app reaches acs-server's database only through acs-server's functions (its stores). */
const DATABASE_MESSAGE =
  "apps/web does not query acs-server's tables: use (or add) a function of @acs-stack/acs-server, e.g. a store in packages/acs-server/src/db/.";

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
  {
    // The app's code and its unit tests. (The production suite and benches under prod/ and bench/
    // read the database with `pg` to check from outside what the servers wrote.)
    files: ["src/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@acs-stack/acs-server", importNames: ["schema"], message: DATABASE_MESSAGE },
          ],
          patterns: [
            {
              group: ["drizzle-orm", "drizzle-orm/*", "pg", "pg/*", "@electric-sql/pglite*"],
              message: DATABASE_MESSAGE,
            },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[property.name='orm']", message: DATABASE_MESSAGE },
      ],
    },
  },
];
