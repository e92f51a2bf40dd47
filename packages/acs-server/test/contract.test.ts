// The wire contract (`@acs-stack/acs-server/contract`) is the one home of what crosses the wire:
// acs-client and the web app declare none of it again, and the contract loads nothing Node-only, so
// browser code can import it. The scanner itself is tried on strings that break the rules.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

import * as contract from "../src/contract";
import * as root from "../src/index";
import type { ContractShape } from "./helpers/contract-guard";
import {
  exportedNames,
  findContractCopies,
  refusedImport,
  runtimeImports,
  sourceFiles,
} from "./helpers/contract-guard";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const contractEntry = path.join(repo, "packages/acs-server/src/contract/index.ts");
/** Where the contract's clients live: acs-client and the web app. */
const CLIENT_SOURCES = ["packages/acs-client/src", "apps/web/src"];

function contractShape(): ContractShape {
  const lists = Object.fromEntries(
    Object.entries(contract as Record<string, unknown>).filter(
      (entry): entry is [string, readonly string[]] =>
        Array.isArray(entry[1]) && entry[1].every((v) => typeof v === "string"),
    ),
  );
  return { names: exportedNames(contractEntry), lists };
}

describe("the contract module", () => {
  it("names its types as well as its values", () => {
    const names = exportedNames(contractEntry);
    expect(Object.keys(contract).filter((name) => !names.includes(name))).toEqual([]);
    // Types leave no trace at runtime: these come from reading the source.
    expect(names).toEqual(
      expect.arrayContaining(["TokenResponse", "SessionUser", "PresenceState"]),
    );
  });

  it("is re-exported by the package root, the same values", () => {
    const roots = root as Record<string, unknown>;
    for (const [name, value] of Object.entries(contract)) {
      expect(roots[name], name).toBe(value);
    }
  });

  it("loads no package and nothing Node-only at runtime", () => {
    const refused = runtimeImports(contractEntry).map(
      ({ specifier, chain }) =>
        `${specifier}: ${refusedImport(specifier)}, via ${chain.map((f) => path.relative(repo, f)).join(" → ")}`,
    );
    expect(refused).toEqual([]);
  });
});

describe("the contract and the emulator, which keeps its own copy of ACS's rules", () => {
  // The emulator imports none of our packages; both copies follow Identity 2023-10-01.
  it("name the same ACS token scopes and the same lifetime bounds", async () => {
    const emulator = await import("@acs-stack/acs-emulator");
    expect([...contract.ACS_TOKEN_SCOPES].sort()).toEqual([...emulator.TOKEN_SCOPES].sort());
    expect([contract.MIN_TOKEN_LIFETIME_MINUTES, contract.MAX_TOKEN_LIFETIME_MINUTES]).toEqual([
      emulator.MIN_EXPIRES_IN_MINUTES,
      emulator.MAX_EXPIRES_IN_MINUTES,
    ]);
  });
});

describe("acs-client and apps/web", () => {
  it("declare no copy of a contract type, constant or list", () => {
    const shape = contractShape();
    const files = CLIENT_SOURCES.flatMap((dir) => sourceFiles(path.join(repo, dir)));
    expect(files.length).toBeGreaterThan(50);
    const copies = files.flatMap((file) =>
      findContractCopies(path.relative(repo, file), readFileSync(file, "utf8"), shape),
    );
    expect(copies.map((c) => `${c.file}:${c.line} ${c.what}`)).toEqual([]);
  });
});

describe("the copy scanner", () => {
  const shape: ContractShape = {
    names: ["TokenResponse", "SessionUser", "PresenceState", "PRESENCE_STATES"],
    lists: { PRESENCE_STATES: ["online", "away", "busy", "offline"], OTHER: ["one"] },
  };
  const found = (text: string) => findContractCopies("x.tsx", text, shape).map((c) => c.what);

  it("finds a contract name declared again, however it is declared", () => {
    expect(found("export interface TokenResponse { token: string }")).toEqual([
      "declares TokenResponse",
    ]);
    expect(found("type SessionUser = { id: string };")).toEqual(["declares SessionUser"]);
    expect(found("export type PresenceState = string;")).toEqual(["declares PresenceState"]);
    expect(found("function f() { const PRESENCE_STATES = 1; return PRESENCE_STATES; }")).toEqual([
      "declares PRESENCE_STATES",
    ]);
  });

  it("finds a list written out again under another name, in any order, as values or a type", () => {
    expect(found('const moods = ["busy", "online", "offline", "away"] as const;')).toEqual([
      "writes out PRESENCE_STATES (busy, online, offline, away)",
    ]);
    expect(found('let m: "online" | "away" | "busy" | "offline";')).toEqual([
      "writes out PRESENCE_STATES as a type (online | away | busy | offline)",
    ]);
  });

  it("leaves imports, re-exports, uses, other lists and comments alone", () => {
    const text = [
      'import type { TokenResponse } from "@acs-stack/acs-server/contract";',
      'import { PRESENCE_STATES } from "@acs-stack/acs-server/contract";',
      'export type { SessionUser } from "@acs-stack/acs-server/contract";',
      "// interface TokenResponse {}",
      'const label = "type PresenceState = string";',
      'const some = ["online", "away"];',
      'const one = ["one"];',
      "const n = PRESENCE_STATES.length;",
    ].join("\n");
    expect(found(text)).toEqual([]);
  });

  it("reports the line", () => {
    const copies = findContractCopies("x.ts", "\n\ninterface SessionUser {}", shape);
    expect(copies).toEqual([{ file: "x.ts", line: 3, what: "declares SessionUser" }]);
  });
});

describe("the runtime import walk", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "contract-guard-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };

  it("follows relative imports and finds what they load, but not what is imported as a type", () => {
    const entry = write(
      "index.ts",
      [
        'export { a } from "./a";',
        'export type { Row } from "./types";',
        'import type { Pool } from "pg";',
        'export * from "./b";',
      ].join("\n"),
    );
    write("a.ts", 'import { readFileSync } from "node:fs";\nexport const a = readFileSync;');
    write("types.ts", 'import { drizzle } from "drizzle-orm";\nexport type Row = typeof drizzle;');
    write("b.ts", 'export const b = () => import("@azure/identity");');
    const found = runtimeImports(entry).map(({ specifier, chain }) => ({
      specifier,
      from: chain.map((f) => path.basename(f)),
    }));
    expect(found).toEqual([
      { specifier: "node:fs", from: ["index.ts", "a.ts"] },
      { specifier: "@azure/identity", from: ["index.ts", "b.ts"] },
    ]);
  });

  it("counts `import { type X }` as a runtime import (verbatimModuleSyntax keeps the import)", () => {
    const entry = write("inline.ts", 'import { type Pool } from "pg";\nexport type P = Pool;');
    expect(runtimeImports(entry).map((i) => i.specifier)).toEqual(["pg"]);
  });

  it("refuses Node built-ins, the server's packages and every other package", () => {
    expect(refusedImport("node:crypto")).toBe("a Node built-in");
    expect(refusedImport("fs/promises")).toBe("a Node built-in");
    for (const name of [
      "pg",
      "drizzle-orm/pg-core",
      "@electric-sql/pglite",
      "@azure/identity",
      "@acs-stack/acs-emulator",
      "server-only",
    ]) {
      expect(refusedImport(name), name).toMatch(/^server-side package /);
    }
    expect(refusedImport("left-pad")).toMatch(/no runtime dependencies/);
  });
});
