// The hmac-rest client needs nothing but what the Edge runtime offers. Its module graph (the Edge
// entry point src/control-plane/edge.ts) is loaded into a bare node:vm context whose only globals are
// the Web APIs below: no require (a loader that serves only our own relative source files, the
// import-free helpers of @acs-stack/config, and zod, a pure-JS dependency that Next.js bundles for
// Edge), no process, no Buffer, no node: modules.
// It then creates an identity, issues, revokes and deletes against the real emulator.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

import type { RunningEmulator } from "@acs-stack/acs-emulator";
import ts from "typescript";
import * as zod from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { createEdgeIdentityGateway as CreateEdgeGateway } from "../../src/control-plane/edge";
import { accessKeyOf, startEntraEmulator } from "./support";

const CONTROL_PLANE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../src/control-plane",
);

/** @acs-stack/config's modules that import nothing (packages/config/README.md), loaded as source. */
const EDGE_SAFE_CONFIG = new Set([
  "@acs-stack/config/unset-if-blank",
  "@acs-stack/config/backoff",
  "@acs-stack/config/loopback",
]);
const resolvePackage = createRequire(import.meta.url).resolve;

/** The Web APIs an Edge runtime provides, and nothing else. */
function edgeGlobals() {
  return {
    fetch,
    crypto: globalThis.crypto,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    btoa,
    atob,
    Headers,
    Request,
    Response,
    AbortSignal,
    // Timers exist on Edge too; the client's retry back-off uses them.
    setTimeout,
    clearTimeout,
  };
}

interface LoadedModule {
  exports: Record<string, unknown>;
}

/** Loads `entry` and its relative and edge-safe config imports into `context`; others are refused. */
function loadInContext(
  context: vm.Context,
  entry: string,
  loaded: string[],
): Record<string, unknown> {
  const cache = new Map<string, LoadedModule>();
  const load = (file: string): Record<string, unknown> => {
    const cached = cache.get(file);
    if (cached) return cached.exports;
    const module: LoadedModule = { exports: {} };
    cache.set(file, module);
    loaded.push(path.basename(file));
    const source = readFileSync(file, "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: false,
      },
      fileName: file,
    });
    const edgeRequire = (specifier: string) => {
      if (specifier === "zod") return zod;
      if (EDGE_SAFE_CONFIG.has(specifier)) return load(resolvePackage(specifier));
      if (!specifier.startsWith("./")) {
        throw new Error(
          `${path.basename(file)} imports "${specifier}", which the Edge runtime does not provide`,
        );
      }
      return load(path.join(path.dirname(file), `${specifier}.ts`));
    };
    const wrapper = vm.runInContext(
      `(function (exports, require, module) {${outputText}\n})`,
      context,
      {
        filename: file,
      },
    ) as (exports: unknown, require: unknown, module: unknown) => void;
    wrapper(module.exports, edgeRequire, module);
    return module.exports;
  };
  return load(entry);
}

function loadEdgeEntry(context: vm.Context, loaded: string[]): typeof CreateEdgeGateway {
  const exports = loadInContext(context, path.join(CONTROL_PLANE, "edge.ts"), loaded);
  return exports.createEdgeIdentityGateway as typeof CreateEdgeGateway;
}

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEntraEmulator();
});

afterAll(async () => {
  await emulator?.close();
});

describe("hmac-rest client on Edge-runtime globals only", () => {
  it("the context really lacks Node: require, process, Buffer are undefined there", () => {
    const context = vm.createContext(edgeGlobals());
    expect(
      vm.runInContext(
        "[typeof require, typeof process, typeof Buffer, typeof crypto.subtle]",
        context,
      ),
    ).toEqual(["undefined", "undefined", "undefined", "object"]);
  });

  it("runs the whole token lifecycle against the emulator", async () => {
    const context = vm.createContext(edgeGlobals());
    const loaded: string[] = [];
    const createEdgeIdentityGateway = loadEdgeEntry(context, loaded);
    expect(loaded).toEqual(
      expect.arrayContaining([
        "edge.ts",
        "config.ts",
        "hmac-rest-gateway.ts",
        "hmac-signer.ts",
        "identity-gateway.ts",
        "unset-if-blank.ts",
        "backoff.ts",
        "loopback.ts",
      ]),
    );
    // Plain HTTP on loopback (same port): the context's fetch is Node's, which cannot be told to
    // trust the emulator's local CA; an Edge deployment talks HTTPS to the real ACS.
    const gateway = createEdgeIdentityGateway({
      ACS_ENDPOINT: emulator.endpoint.replace("https://", "http://"),
      ACS_ACCESS_KEY: accessKeyOf(emulator.connectionString),
    });
    expect(gateway.model).toBe("hmac-rest");
    const { acsUserId } = await gateway.createUser();
    expect(acsUserId).toMatch(/^8:acs:[^_]+_[^_]+$/);
    const issued = await gateway.issueToken(acsUserId, ["chat", "voip"], 60);
    expect(issued.token.split(".")).toHaveLength(3);
    const minutes = (issued.expiresOn.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(58);
    expect(minutes).toBeLessThanOrEqual(60.5);
    await gateway.revokeTokens(acsUserId);
    await gateway.deleteUser(acsUserId);
    // A deleted identity is gone: classified as not-found (an error built inside the context).
    const error = (await gateway.issueToken(acsUserId, ["chat"], 60).catch((e: unknown) => e)) as {
      name: string;
      kind: string;
      statusCode: number;
    };
    expect({ name: error.name, kind: error.kind, statusCode: error.statusCode }).toEqual({
      name: "AcsGatewayError",
      kind: "not-found",
      statusCode: 404,
    });
  });

  it("a wrong key is credentials-rejected (401), with the key nowhere in the message", async () => {
    const context = vm.createContext(edgeGlobals());
    const createEdgeIdentityGateway = loadEdgeEntry(context, []);
    const wrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleQ==";
    const gateway = createEdgeIdentityGateway({
      ACS_CONNECTION_STRING: `endpoint=${emulator.endpoint.replace("https://", "http://")};accesskey=${wrongKey}`,
    });
    expect(gateway.model).toBe("connection-string");
    const error = (await gateway.createUser().catch((e: unknown) => e)) as {
      kind: string;
      statusCode: number;
      message: string;
    };
    expect({ kind: error.kind, statusCode: error.statusCode }).toEqual({
      kind: "credentials-rejected",
      statusCode: 401,
    });
    expect(error.message).not.toContain(wrongKey);
  });

  it("a connection string works on Edge too (same key); Node-only models are refused clearly", async () => {
    const createEdgeIdentityGateway = loadEdgeEntry(vm.createContext(edgeGlobals()), []);
    const key = accessKeyOf(emulator.connectionString);
    const gateway = createEdgeIdentityGateway({
      ACS_CONNECTION_STRING: `endpoint=${emulator.endpoint.replace("https://", "http://")};accesskey=${key}`,
    });
    const { acsUserId } = await gateway.createUser();
    await gateway.deleteUser(acsUserId);
    expect(() =>
      createEdgeIdentityGateway({
        ACS_ENDPOINT: emulator.endpoint,
        AZURE_TENANT_ID: "t",
        AZURE_CLIENT_ID: "c",
        AZURE_CLIENT_SECRET: "s",
      }),
    ).toThrow(/entra-id model needs the Node.js runtime/);
    expect(() => createEdgeIdentityGateway({ ACS_ENDPOINT: emulator.endpoint })).toThrow(
      /ACS_ENDPOINT is set without a credential/,
    );
  });

  it("retries a transient 503 with the Edge timers (one back-off of about a second)", async () => {
    const createEdgeIdentityGateway = loadEdgeEntry(vm.createContext(edgeGlobals()), []);
    let calls = 0;
    const flaky: typeof fetch = (input, init) =>
      ++calls === 1 ? Promise.resolve(new Response("{}", { status: 503 })) : fetch(input, init);
    const gateway = createEdgeIdentityGateway(
      {
        ACS_ENDPOINT: emulator.endpoint.replace("https://", "http://"),
        ACS_ACCESS_KEY: accessKeyOf(emulator.connectionString),
      },
      { fetch: flaky },
    );
    await expect(gateway.createUser()).resolves.toHaveProperty("acsUserId");
    expect(calls).toBe(2);
  });
});
