// The layer rule and the file-length limit, on real source text.
import { Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

import { layerImports } from "./eslint.js";

function lint(code: string): string[] {
  const linter = new Linter({ configType: "flat" });
  const messages = linter.verify(
    code,
    [
      { files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } },
      layerImports({ files: ["**/*.ts"], groups: ["next", "next/*"], reason: "Not here." }),
    ],
    "module.ts",
  );
  return messages.map((m) => m.message);
}

describe("layerImports", () => {
  it("refuses a module from a layer above, by name and by subpath", () => {
    expect(lint('import { cookies } from "next/headers";')).toEqual([
      expect.stringContaining("Not here."),
    ]);
    expect(lint('import next from "next";')).toEqual([expect.stringContaining("Not here.")]);
  });

  it("lets everything else through", () => {
    expect(lint('import { z } from "zod";\nimport type { Foo } from "./foo";')).toEqual([]);
  });
});
