// The root README's "Adding a procedure" shows real code: each of its code blocks must appear verbatim
// in the file that the line above the block names, so the README cannot drift from typechecked code.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const readRepoFile = (path: string) =>
  existsSync(repoRoot + path) ? readFileSync(repoRoot + path, "utf8") : undefined;

/** The text under `## title` up to the next second-level heading. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = markdown.indexOf("\n## ", start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

interface QuotedBlock {
  /** The last repository path (`apps/…` or `packages/…`) in backticks on the line before the block. */
  file: string | undefined;
  code: string;
}

function quotedBlocks(text: string): QuotedBlock[] {
  return [...text.matchAll(/^```\w*\n([\s\S]*?)\n```$/gm)].map((match) => {
    const before = text.slice(0, match.index).trimEnd();
    const lineBefore = before.slice(before.lastIndexOf("\n") + 1);
    const paths = [...lineBefore.matchAll(/`((?:apps|packages)\/[^`\s]+\.\w+)`/g)];
    return { file: paths.at(-1)?.[1], code: match[1] ?? "" };
  });
}

/** Why blocks do not match their files (empty: every block is real code). */
function drift(blocks: QuotedBlock[], read: (path: string) => string | undefined): string[] {
  return blocks.flatMap(({ file, code }) => {
    const head = code.split("\n")[0];
    if (!file) return [`no file named on the line above the block starting "${head}"`];
    const source = read(file);
    if (source === undefined) return [`${file} does not exist`];
    return source.includes(code) ? [] : [`${file} does not contain the block starting "${head}"`];
  });
}

describe('README "Adding a procedure"', () => {
  const blocks = quotedBlocks(section(readRepoFile("README.md") ?? "", "Adding a procedure"));

  it("quotes the router files of both places: acs-server and the app", () => {
    expect(blocks.map((block) => block.file)).toEqual([
      "packages/acs-server/src/router/directory.ts",
      "packages/acs-server/src/root.ts",
      "apps/web/src/server/api/routers/profile.ts",
      "apps/web/src/server/api/root.ts",
    ]);
  });

  it("shows each block verbatim as it stands in its file", () => {
    expect(drift(blocks, readRepoFile)).toEqual([]);
  });

  it("notices a block that is no longer in its file, or names no file", () => {
    const edited = blocks.map((block) => ({ ...block, code: `${block.code}\n// drifted` }));
    expect(drift(edited, readRepoFile)).toHaveLength(blocks.length);
    expect(drift([{ file: undefined, code: "x" }], readRepoFile)).toHaveLength(1);
    expect(drift([{ file: "apps/web/src/gone.ts", code: "x" }], readRepoFile)).toEqual([
      "apps/web/src/gone.ts does not exist",
    ]);
  });
});
