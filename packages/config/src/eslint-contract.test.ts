// The contract-only rule on real source text, parsed as the packages' lint parses it.
import { Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

import { contractOnlyImports } from "./eslint-contract.js";

function lint(code: string, clientModulesOnly = false): string[] {
  const linter = new Linter({ configType: "flat" });
  const messages = linter.verify(
    code,
    [
      { files: ["**/*.tsx"], languageOptions: { parser: tseslint.parser } },
      contractOnlyImports({ files: ["**/*.tsx"], clientModulesOnly }),
    ],
    "module.tsx",
  );
  return messages.map((m) => m.message);
}

describe("acs-stack/contract-only", () => {
  it("lets browser-side code load the contract, and anything from acs-server as a type", () => {
    const code = [
      'import { PRESENCE_STATES } from "@acs-stack/acs-server/contract";',
      'import type { AppRouter } from "@acs-stack/acs-server";',
      'export type { Database } from "@acs-stack/acs-server";',
      'import { useState } from "react";',
    ].join("\n");
    expect(lint(code)).toEqual([]);
  });

  it.each([
    'import { appRouter } from "@acs-stack/acs-server";',
    'import { createEdgeIdentityGateway } from "@acs-stack/acs-server/edge";',
    'import { type AppRouter } from "@acs-stack/acs-server";',
    'export { schema } from "@acs-stack/acs-server";',
    'export * from "@acs-stack/acs-server/edge";',
    'const server = () => import("@acs-stack/acs-server");',
  ])("refuses a runtime load of the rest of acs-server: %s", (line) => {
    expect(lint(line)).toEqual([expect.stringContaining("loads only")]);
  });

  it("checks only client modules when asked to", () => {
    const serverImport = 'import { appRouter } from "@acs-stack/acs-server";';
    expect(lint(serverImport, true)).toEqual([]);
    expect(lint(`"use client";\n${serverImport}`, true)).toHaveLength(1);
    expect(lint(`// a comment\n"use strict";\n"use client";\n${serverImport}`, true)).toHaveLength(
      1,
    );
  });
});
