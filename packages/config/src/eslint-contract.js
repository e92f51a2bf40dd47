// Browser-side code (acs-client, the web app's client components) loads one thing from acs-server at
// runtime: the wire contract, which is Node-free and tiny. Anything else would pull server code
// (database drivers, Azure credentials, zod schemas) into a browser bundle. `import type` is free.

const ACS_SERVER = /^@acs-stack\/acs-server(\/.*)?$/;
export const ACS_SERVER_CONTRACT = "@acs-stack/acs-server/contract";

/** @param {import("estree").Program} program */
function isClientModule(program) {
  for (const statement of program.body) {
    if (statement.type !== "ExpressionStatement" || !("directive" in statement)) return false;
    if (statement.directive === "use client") return true;
  }
  return false;
}

/** @type {import("eslint").Rule.RuleModule} */
const contractOnly = {
  meta: {
    type: "problem",
    docs: { description: "Load only @acs-stack/acs-server/contract from acs-server at runtime." },
    schema: [
      {
        type: "object",
        properties: { clientModulesOnly: { type: "boolean" } },
        additionalProperties: false,
      },
    ],
    messages: {
      serverImport:
        'Browser-side code loads only "{{contract}}" from acs-server at runtime; "{{source}}" would bundle server code. Use the contract, or `import type`.',
    },
  },
  create(context) {
    const options = /** @type {{ clientModulesOnly?: boolean }} */ (context.options[0] ?? {});
    if (options.clientModulesOnly && !isClientModule(context.sourceCode.ast)) return {};
    /**
     * @param {import("estree").Node} node
     * @param {unknown} source
     * @param {string | undefined} kind `importKind` / `exportKind` from the TypeScript parser
     */
    const check = (node, source, kind) => {
      if (kind === "type" || typeof source !== "string") return;
      if (!ACS_SERVER.test(source) || source === ACS_SERVER_CONTRACT) return;
      context.report({
        node,
        messageId: "serverImport",
        data: { source, contract: ACS_SERVER_CONTRACT },
      });
    };
    /** @param {any} node */
    const checkDeclaration = (node) =>
      check(node, node.source?.value, node.importKind ?? node.exportKind);
    return {
      ImportDeclaration: checkDeclaration,
      ExportNamedDeclaration: checkDeclaration,
      ExportAllDeclaration: checkDeclaration,
      /** @param {any} node */
      ImportExpression: (node) => check(node, node.source?.value, undefined),
    };
  },
};

export const acsStackPlugin = { rules: { "contract-only": contractOnly } };

/**
 * A flat-config block that lets `files` load only the contract from acs-server at runtime.
 * With `clientModulesOnly`, only modules that start with "use client" are checked.
 * @param {{ files: string[], ignores?: string[], clientModulesOnly?: boolean }} options
 * @returns {import("eslint").Linter.Config}
 */
export function contractOnlyImports({ files, ignores = [], clientModulesOnly = false }) {
  return {
    files,
    ignores,
    plugins: { "acs-stack": acsStackPlugin },
    rules: { "acs-stack/contract-only": ["error", { clientModulesOnly }] },
  };
}
