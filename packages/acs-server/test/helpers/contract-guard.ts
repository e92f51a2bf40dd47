// What test/contract.test.ts checks, as functions it can also try on strings: the names the wire
// contract exports, declarations of those names (or of its lists' values) elsewhere, and the
// contract's runtime import graph. TypeScript's own parser reads the sources, so comments, strings
// and `import type` are told apart from code.
import { builtinModules } from "node:module";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

function parse(fileName: string, text: string): ts.SourceFile {
  const kind = fileName.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
}

function exported(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

function moduleSpecifierOf(node: ts.Node): string | undefined {
  if (
    (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
    node.moduleSpecifier &&
    ts.isStringLiteral(node.moduleSpecifier)
  ) {
    return node.moduleSpecifier.text;
  }
  return undefined;
}

const SOURCE_EXTENSIONS = [".ts", ".tsx", ".js", ".mjs"];

/** A relative import as a file path (`./x` → `./x.ts` or `./x/index.ts`). */
export function resolveRelative(fromFile: string, specifier: string): string {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [
    base,
    ...SOURCE_EXTENSIONS.map((ext) => base + ext),
    ...SOURCE_EXTENSIONS.map((ext) => path.join(base, "index" + ext)),
  ];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  if (!found) throw new Error(`Cannot resolve "${specifier}" from ${fromFile}.`);
  return found;
}

/**
 * Every name a module exports, types included: its own `export` declarations, `export { … }` lists
 * and, through `export * from "./x"`, the names of the modules it re-exports whole.
 */
export function exportedNames(file: string): string[] {
  const names = new Set<string>();
  const source = parse(file, readFileSync(file, "utf8"));
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      const specifier = moduleSpecifierOf(statement);
      if (!clause && specifier) {
        for (const name of exportedNames(resolveRelative(file, specifier))) names.add(name);
      } else if (clause && ts.isNamedExports(clause)) {
        for (const element of clause.elements) names.add(element.name.text);
      }
    } else if (exported(statement)) {
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) {
          if (ts.isIdentifier(d.name)) names.add(d.name.text);
        }
      } else if (
        (ts.isInterfaceDeclaration(statement) ||
          ts.isTypeAliasDeclaration(statement) ||
          ts.isClassDeclaration(statement) ||
          ts.isFunctionDeclaration(statement) ||
          ts.isEnumDeclaration(statement)) &&
        statement.name
      ) {
        names.add(statement.name.text);
      }
    }
  }
  return [...names].sort();
}

export interface ContractShape {
  /** Every exported name (types and values). */
  names: readonly string[];
  /** The contract's lists of strings (presence states, scopes, error codes), by name. */
  lists: Readonly<Record<string, readonly string[]>>;
}

/** A contract name declared again, or one of its lists written out again under another name. */
export interface ContractCopy {
  file: string;
  line: number;
  what: string;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

function stringElements(node: ts.ArrayLiteralExpression): string[] | undefined {
  const values: string[] = [];
  for (const element of node.elements) {
    if (!ts.isStringLiteralLike(element)) return undefined;
    values.push(element.text);
  }
  return values;
}

function literalMembers(node: ts.UnionTypeNode): string[] | undefined {
  const values: string[] = [];
  for (const member of node.types) {
    if (!ts.isLiteralTypeNode(member) || !ts.isStringLiteral(member.literal)) return undefined;
    values.push(member.literal.text);
  }
  return values;
}

/**
 * Declarations in `text` that copy the contract: a variable, interface, type, class, function or enum
 * named like one of its exports, an array literal of strings equal to one of its lists (in any
 * order), or a union of string literal types equal to one. Imports and re-exports are not copies.
 */
export function findContractCopies(
  file: string,
  text: string,
  contract: ContractShape,
): ContractCopy[] {
  const names = new Set(contract.names);
  const lists = Object.entries(contract.lists).filter(([, values]) => values.length > 1);
  const source = parse(file, text);
  const copies: ContractCopy[] = [];
  const report = (node: ts.Node, what: string) =>
    copies.push({
      file,
      line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
      what,
    });
  const listNamed = (values: readonly string[]) =>
    lists.find(([, list]) => sameSet(list, values))?.[0];

  const visit = (node: ts.Node): void => {
    if (
      (ts.isVariableDeclaration(node) ||
        ts.isInterfaceDeclaration(node) ||
        ts.isTypeAliasDeclaration(node) ||
        ts.isClassDeclaration(node) ||
        ts.isFunctionDeclaration(node) ||
        ts.isEnumDeclaration(node)) &&
      node.name &&
      ts.isIdentifier(node.name) &&
      names.has(node.name.text)
    ) {
      report(node, `declares ${node.name.text}`);
    }
    if (ts.isArrayLiteralExpression(node)) {
      const values = stringElements(node);
      const list = values && listNamed(values);
      if (list) report(node, `writes out ${list} (${values.join(", ")})`);
    }
    if (ts.isUnionTypeNode(node)) {
      const values = literalMembers(node);
      const list = values && listNamed(values);
      if (list) report(node, `writes out ${list} as a type (${values.join(" | ")})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return copies;
}

/** Source files under `dir` (recursively), tests and declaration files left out. */
export function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") files.push(...sourceFiles(full));
    } else if (
      /\.(ts|tsx)$/.test(entry.name) &&
      !/\.(test|spec)\.tsx?$/.test(entry.name) &&
      !entry.name.endsWith(".d.ts")
    ) {
      files.push(full);
    }
  }
  return files.sort();
}

/** An import that stays in the JavaScript: not `import type` / `export type`. */
export interface RuntimeImport {
  specifier: string;
  /** The files from the entry to the importing file. */
  chain: readonly string[];
}

function runtimeSpecifiers(source: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    const specifier = moduleSpecifierOf(node);
    if (specifier !== undefined) {
      const typeOnly = ts.isImportDeclaration(node)
        ? node.importClause?.isTypeOnly === true
        : ts.isExportDeclaration(node) && node.isTypeOnly;
      if (!typeOnly) specifiers.push(specifier);
    }
    // import("x") and require("x") load code too.
    if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/**
 * The bare (package or built-in) imports reached at runtime from `entry`, following relative
 * imports transitively and skipping `import type` and `export type`, which leave no JavaScript.
 */
export function runtimeImports(entry: string): RuntimeImport[] {
  const found: RuntimeImport[] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: readonly string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = [...chain, file];
    for (const specifier of runtimeSpecifiers(parse(file, readFileSync(file, "utf8")))) {
      if (specifier.startsWith(".")) walk(resolveRelative(file, specifier), here);
      else found.push({ specifier, chain: here });
    }
  };
  walk(path.resolve(entry), []);
  return found;
}

const BUILTINS = new Set(builtinModules);

/** Packages that only run on a server (or pull one in): the contract must never load them. */
const SERVER_ONLY_PACKAGES = [
  "pg",
  "pg-connection-string",
  "drizzle-orm",
  "@electric-sql/pglite",
  "@azure/identity",
  "@azure/communication-identity",
  "@acs-stack/acs-emulator",
  "server-only",
  "@trpc/server",
  "zod",
];

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/**
 * Why the contract may not load `specifier` at runtime. It loads no package at all, so a browser
 * bundle that imports it gains a few hundred bytes, not a library.
 */
export function refusedImport(specifier: string): string {
  if (specifier.startsWith("node:") || BUILTINS.has(packageName(specifier))) {
    return "a Node built-in";
  }
  const name = packageName(specifier);
  if (SERVER_ONLY_PACKAGES.includes(name)) return `server-side package ${name}`;
  return `package ${name} (the contract has no runtime dependencies)`;
}
