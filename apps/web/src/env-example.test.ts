// The repository's .env.example lists every variable the packages read (each package's env.ts is the
// only reader of process.env, so their declarations are the complete list).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..", "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

const ENV_FILES = [
  "apps/web/src/env.ts",
  "apps/web/src/edge/env.ts",
  "packages/acs-server/src/env.ts",
  "packages/acs-emulator/src/env.ts",
];
/** Set by the runtime or by Next itself, not by whoever deploys. */
const NOT_CONFIGURATION = new Set(["NODE_ENV", "NEXT_PHASE", "NEXT_RUNTIME"]);

function declaredVariables(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):/gm)) names.add(match[1] ?? "");
  for (const match of source.matchAll(/process\.env\.([A-Z][A-Z0-9_]{2,})/g))
    names.add(match[1] ?? "");
  return [...names].filter((name) => !NOT_CONFIGURATION.has(name));
}

describe(".env.example", () => {
  const example = read(".env.example");
  const listed = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));

  it.each(ENV_FILES)("lists every variable %s declares", (file) => {
    const declared = declaredVariables(read(file));
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.filter((name) => !listed.has(name))).toEqual([]);
  });

  it("holds no value that looks like a secret", () => {
    for (const line of example.split("\n").filter((l) => /^[A-Z]/.test(l))) {
      const value = line.slice(line.indexOf("=") + 1);
      expect(value, line).not.toMatch(/accesskey=|[A-Za-z0-9+/]{40,}={0,2}|:\/\/[^/\s:]+:[^@\s]+@/);
    }
  });
});
