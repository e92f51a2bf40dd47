// The list of auth models (src/control-plane/models/): each module answers for its own model, and
// what config.ts and edge.ts derive from the list (names, error wording, the Edge key) holds.
import { describe, expect, it } from "vitest";

import { AUTH_MODELS, resolveControlPlaneConfig } from "../../src/control-plane";
import { AUTH_MODEL_MODULES, modelOf } from "../../src/control-plane/models/index";
import { readServerEnv } from "../../src/env";

const KEY = "c2VjcmV0LWFjY2Vzcy1rZXktZm9yLXRlc3RzLW9ubHktMTIzNDU2Nzg5MA==";
const SECRET = "client-secret-value-7f3a";
const ENDPOINT = "https://contoso.communication.azure.com/";

const configOf = (vars: Record<string, string>) => resolveControlPlaneConfig(readServerEnv(vars));

describe("the auth model list", () => {
  it("names every model once, in the documented order", () => {
    expect(AUTH_MODELS).toEqual([
      "connection-string",
      "entra-id",
      "managed-identity",
      "hmac-rest",
      "emulator",
    ]);
    expect(new Set(AUTH_MODEL_MODULES.map((model) => model.name)).size).toBe(AUTH_MODELS.length);
  });

  it("without ACS_AUTH_MODEL, exactly one model claims each complete environment", () => {
    const environments = [
      {},
      { ACS_CONNECTION_STRING: `endpoint=${ENDPOINT};accesskey=${KEY}` },
      { ACS_ENDPOINT: ENDPOINT, ACS_ACCESS_KEY: KEY },
      { ACS_ENDPOINT: ENDPOINT, AZURE_TENANT_ID: "t", AZURE_CLIENT_SECRET: SECRET },
      { ACS_ENDPOINT: ENDPOINT, IDENTITY_ENDPOINT: "http://127.0.0.1:41000/msi/token" },
    ];
    for (const vars of environments) {
      const env = readServerEnv(vars);
      const claims = AUTH_MODEL_MODULES.filter((model) => model.infer(env) !== undefined);
      expect(claims, JSON.stringify(vars)).toHaveLength(1);
    }
  });

  it("lists the credentials of several models by variable name, whatever the list order", () => {
    expect(() =>
      configOf({
        ACS_ENDPOINT: ENDPOINT,
        IDENTITY_ENDPOINT: "http://127.0.0.1:41000/msi/token",
        AZURE_TENANT_ID: "t",
        ACS_ACCESS_KEY: KEY,
      }),
    ).toThrow(
      "(ACS_ACCESS_KEY → hmac-rest; AZURE_TENANT_ID/AZURE_CLIENT_SECRET → entra-id; IDENTITY_ENDPOINT → managed-identity)",
    );
  });

  it("offers the Edge runtime a signing key only for the key-based models, the key of the string", () => {
    const connectionString = configOf({
      ACS_CONNECTION_STRING: ` endpoint=${ENDPOINT};accesskey=${KEY} `,
    });
    expect(modelOf(connectionString).hmacKey?.(connectionString)).toEqual({
      endpoint: ENDPOINT,
      accessKey: KEY,
    });
    const hmac = configOf({ ACS_ENDPOINT: ENDPOINT, ACS_ACCESS_KEY: KEY });
    expect(modelOf(hmac).hmacKey?.(hmac)).toEqual({ endpoint: ENDPOINT, accessKey: KEY });
    const entra = configOf({
      ACS_ENDPOINT: ENDPOINT,
      AZURE_TENANT_ID: "t",
      AZURE_CLIENT_ID: "c",
      AZURE_CLIENT_SECRET: SECRET,
    });
    expect("hmacKey" in modelOf(entra)).toBe(false);
    expect("hmacKey" in modelOf(configOf({}))).toBe(false);
  });

  it("each model's description leaves out its secrets", () => {
    const configs = [
      configOf({ ACS_CONNECTION_STRING: `endpoint=${ENDPOINT};accesskey=${KEY}` }),
      configOf({ ACS_ENDPOINT: ENDPOINT, ACS_ACCESS_KEY: KEY }),
      configOf({
        ACS_ENDPOINT: ENDPOINT,
        AZURE_TENANT_ID: "t",
        AZURE_CLIENT_ID: "c",
        AZURE_CLIENT_SECRET: SECRET,
      }),
    ];
    for (const config of configs) {
      const line = modelOf(config).describe(config);
      expect(line).toContain(`model=${config.model}`);
      expect(line).not.toContain(KEY);
      expect(line).not.toContain(SECRET);
    }
  });
});
