// The hmac-rest client needs nothing but what the Edge runtime offers. Its module graph is loaded
// into a bare node:vm context whose only globals are the Web APIs below: no require (a loader that
// serves only the client's own source files), no process, no Buffer, no node: modules. It then
// creates an identity, issues, revokes and deletes against the real emulator.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

import type { RunningEmulator } from "@acs-stack/acs-emulator";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { HmacRestGatewayOptions, HmacRestIdentityGateway } from "../../src/control-plane";
import { accessKeyOf, startEntraEmulator } from "./support";

const CONTROL_PLANE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/control-plane");

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
  };
}

interface LoadedModule {
  exports: Record<string, unknown>;
}

/** Loads `entry` and its relative imports into `context`; any non-relative import is refused. */
function loadInContext(context: vm.Context, entry: string, loaded: string[]): Record<string, unknown> {
  const cache = new Map<string, LoadedModule>();
  const load = (file: string): Record<string, unknown> => {
    const cached = cache.get(file);
    if (cached) return cached.exports;
    const module: LoadedModule = { exports: {} };
    cache.set(file, module);
    loaded.push(path.basename(file));
    const source = readFileSync(file, "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: file,
    });
    const edgeRequire = (specifier: string) => {
      if (!specifier.startsWith("./")) {
        throw new Error(`${path.basename(file)} imports "${specifier}", which the Edge runtime does not provide`);
      }
      return load(path.join(path.dirname(file), `${specifier}.ts`));
    };
    const wrapper = vm.runInContext(`(function (exports, require, module) {${outputText}\n})`, context, {
      filename: file,
    }) as (exports: unknown, require: unknown, module: unknown) => void;
    wrapper(module.exports, edgeRequire, module);
    return module.exports;
  };
  return load(entry);
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
    expect(vm.runInContext("[typeof require, typeof process, typeof Buffer, typeof crypto.subtle]", context)).toEqual([
      "undefined",
      "undefined",
      "undefined",
      "object",
    ]);
  });

  it("runs the whole token lifecycle against the emulator", async () => {
    const context = vm.createContext(edgeGlobals());
    const loaded: string[] = [];
    const exports = loadInContext(context, path.join(CONTROL_PLANE, "hmac-rest-gateway.ts"), loaded);
    expect(loaded).toEqual(
      expect.arrayContaining(["hmac-rest-gateway.ts", "hmac-signer.ts", "identity-gateway.ts"]),
    );
    const Gateway = exports.HmacRestIdentityGateway as new (options: HmacRestGatewayOptions) => HmacRestIdentityGateway;
    // Plain HTTP on loopback (same port): the context's fetch is Node's, which cannot be told to
    // trust the emulator's local CA; an Edge deployment talks HTTPS to the real ACS.
    const gateway = new Gateway({
      endpoint: emulator.endpoint.replace("https://", "http://"),
      accessKey: accessKeyOf(emulator.connectionString),
    });
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
    const exports = loadInContext(context, path.join(CONTROL_PLANE, "hmac-rest-gateway.ts"), []);
    const Gateway = exports.HmacRestIdentityGateway as new (options: HmacRestGatewayOptions) => HmacRestIdentityGateway;
    const wrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleQ==";
    const gateway = new Gateway({ endpoint: emulator.endpoint.replace("https://", "http://"), accessKey: wrongKey });
    const error = (await gateway.createUser().catch((e: unknown) => e)) as { kind: string; statusCode: number; message: string };
    expect({ kind: error.kind, statusCode: error.statusCode }).toEqual({ kind: "credentials-rejected", statusCode: 401 });
    expect(error.message).not.toContain(wrongKey);
  });
});
