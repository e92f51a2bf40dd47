// Model selection and start-up validation: every misconfiguration fails with one message naming
// the variables; the start-up summary never carries a secret.
import { describe, expect, it } from "vitest";

import {
  ControlPlaneConfigError,
  createIdentityGateway,
  describeControlPlane,
  resolveControlPlaneConfig,
  selectAuthModel,
} from "../../src/control-plane";
import type { ControlPlaneEnv } from "../../src/control-plane";
import { readServerEnv } from "../../src/env";

const KEY = "c2VjcmV0LWFjY2Vzcy1rZXktZm9yLXRlc3RzLW9ubHktMTIzNDU2Nzg5MA==";
const SECRET = "client-secret-value-7f3a";
const ENDPOINT = "https://contoso.communication.azure.com/";

/** Env exactly as readServerEnv would produce it from these variables. */
function env(vars: Record<string, string>): ControlPlaneEnv {
  return readServerEnv(vars);
}

function configError(vars: Record<string, string>): ControlPlaneConfigError {
  try {
    resolveControlPlaneConfig(env(vars));
  } catch (error) {
    expect(error).toBeInstanceOf(ControlPlaneConfigError);
    return error as ControlPlaneConfigError;
  }
  throw new Error(`expected a configuration error for ${JSON.stringify(vars)}`);
}

describe("selectAuthModel infers the model from the variables", () => {
  it.each([
    [{}, "emulator"],
    [{ ACS_CONNECTION_STRING: `endpoint=${ENDPOINT};accesskey=${KEY}` }, "connection-string"],
    [{ ACS_ENDPOINT: ENDPOINT, ACS_ACCESS_KEY: KEY }, "hmac-rest"],
    [
      {
        ACS_ENDPOINT: ENDPOINT,
        AZURE_TENANT_ID: "t",
        AZURE_CLIENT_ID: "c",
        AZURE_CLIENT_SECRET: SECRET,
      },
      "entra-id",
    ],
    [
      {
        ACS_ENDPOINT: ENDPOINT,
        IDENTITY_ENDPOINT: "http://127.0.0.1:41000/msi/token",
        IDENTITY_HEADER: "h",
      },
      "managed-identity",
    ],
    [{ ACS_ENDPOINT: ENDPOINT, ACS_AUTH_MODEL: "managed-identity" }, "managed-identity"],
    [
      { ACS_ENDPOINT: ENDPOINT, ACS_AUTH_MODEL: "managed-identity", AZURE_CLIENT_ID: "uai" },
      "managed-identity",
    ],
    // Forcing resolves an ambiguity: a key next to service-principal variables.
    [
      {
        ACS_ENDPOINT: ENDPOINT,
        ACS_ACCESS_KEY: KEY,
        AZURE_TENANT_ID: "t",
        ACS_AUTH_MODEL: "hmac-rest",
      },
      "hmac-rest",
    ],
    [
      {
        ACS_CONNECTION_STRING: `endpoint=${ENDPOINT};accesskey=${KEY}`,
        ACS_AUTH_MODEL: "emulator",
      },
      "emulator",
    ],
    // Service-principal variables alone (no ACS endpoint) do not configure ACS.
    [{ AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: SECRET }, "emulator"],
  ] as const)("%j → %s", (vars, model) => {
    expect(selectAuthModel(env(vars))).toBe(model);
  });

  it("turns instance discovery off for a non-Microsoft authority only", () => {
    const base = {
      ACS_ENDPOINT: ENDPOINT,
      AZURE_TENANT_ID: "t",
      AZURE_CLIENT_ID: "c",
      AZURE_CLIENT_SECRET: SECRET,
    };
    const local = resolveControlPlaneConfig(
      env({ ...base, AZURE_AUTHORITY_HOST: "https://127.0.0.1:10443/" }),
    );
    expect(local).toMatchObject({
      authorityHost: "https://127.0.0.1:10443",
      disableInstanceDiscovery: true,
    });
    const usGov = resolveControlPlaneConfig(
      env({ ...base, AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us" }),
    );
    expect(usGov).toMatchObject({ disableInstanceDiscovery: false });
    expect(resolveControlPlaneConfig(env(base))).toMatchObject({ disableInstanceDiscovery: false });
  });
});

describe("misconfiguration fails at start-up with one clear message", () => {
  it.each<[string, Record<string, string>, RegExp[]]>([
    [
      "endpoint without any credential",
      { ACS_ENDPOINT: ENDPOINT },
      [/ACS_ENDPOINT is set without a credential/, /ACS_ACCESS_KEY/, /AZURE_CLIENT_SECRET/],
    ],
    [
      "connection string and endpoint at once",
      { ACS_CONNECTION_STRING: `endpoint=${ENDPOINT};accesskey=${KEY}`, ACS_ENDPOINT: ENDPOINT },
      [/ACS_CONNECTION_STRING and ACS_ENDPOINT are both set/],
    ],
    [
      "two credentials for one endpoint",
      {
        ACS_ENDPOINT: ENDPOINT,
        ACS_ACCESS_KEY: KEY,
        AZURE_TENANT_ID: "t",
        AZURE_CLIENT_ID: "c",
        AZURE_CLIENT_SECRET: SECRET,
      },
      [/several models at once/, /ACS_ACCESS_KEY → hmac-rest/, /entra-id/, /ACS_AUTH_MODEL/],
    ],
    [
      "malformed connection string",
      { ACS_CONNECTION_STRING: "https://contoso.communication.azure.com/" },
      [/ACS_CONNECTION_STRING is malformed/],
    ],
    [
      "connection string with a sub-path endpoint",
      {
        ACS_CONNECTION_STRING: `endpoint=https://contoso.communication.azure.com/acs/;accesskey=${KEY}`,
      },
      [/no path/],
    ],
    [
      "connection string with a non-base64 key",
      { ACS_CONNECTION_STRING: `endpoint=${ENDPOINT};accesskey=not base64!` },
      [/base64/],
    ],
    [
      "access key without endpoint",
      { ACS_ACCESS_KEY: KEY },
      [/ACS_ACCESS_KEY is set but ACS_ENDPOINT is not/],
    ],
    [
      "secret without tenant",
      { ACS_ENDPOINT: ENDPOINT, AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: SECRET },
      [
        /entra-id model needs AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET/,
        /missing: AZURE_TENANT_ID/,
      ],
    ],
    [
      "tenant without secret or client id",
      { ACS_ENDPOINT: ENDPOINT, AZURE_TENANT_ID: "t" },
      [/missing: AZURE_CLIENT_ID, AZURE_CLIENT_SECRET/],
    ],
    [
      "entra-id over plain http",
      {
        ACS_ENDPOINT: "http://127.0.0.1:10443/",
        AZURE_TENANT_ID: "t",
        AZURE_CLIENT_ID: "c",
        AZURE_CLIENT_SECRET: SECRET,
      },
      [/ACS_ENDPOINT must use https: bearer tokens/],
    ],
    [
      "http authority host",
      {
        ACS_ENDPOINT: ENDPOINT,
        AZURE_TENANT_ID: "t",
        AZURE_CLIENT_ID: "c",
        AZURE_CLIENT_SECRET: SECRET,
        AZURE_AUTHORITY_HOST: "http://127.0.0.1:1",
      },
      [/AZURE_AUTHORITY_HOST must be an https/],
    ],
    [
      "unknown forced model",
      { ACS_AUTH_MODEL: "sas-token" },
      [/ACS_AUTH_MODEL="sas-token" is not one of connection-string, entra-id/],
    ],
    [
      "forced model without its variables",
      { ACS_AUTH_MODEL: "hmac-rest" },
      [/ACS_ENDPOINT is required for the hmac-rest model/, /needs ACS_ACCESS_KEY/],
    ],
    [
      "managed identity with a client secret",
      { ACS_ENDPOINT: ENDPOINT, ACS_AUTH_MODEL: "managed-identity", AZURE_CLIENT_SECRET: SECRET },
      [/managed identity has no secret/],
    ],
    [
      "identity endpoint without header",
      { ACS_ENDPOINT: ENDPOINT, IDENTITY_ENDPOINT: "http://127.0.0.1:41000/msi/token" },
      [/IDENTITY_ENDPOINT and IDENTITY_HEADER come together/],
    ],
    [
      "endpoint that is not a URL",
      { ACS_ENDPOINT: "contoso", ACS_ACCESS_KEY: KEY },
      [/ACS_ENDPOINT is not a URL/],
    ],
    [
      "plain http to a remote host",
      { ACS_ENDPOINT: "http://contoso.communication.azure.com/", ACS_ACCESS_KEY: KEY },
      [/loopback hosts only/],
    ],
  ])("%s", (_name, vars, expected) => {
    const error = configError(vars);
    expect(error.message.startsWith("Invalid ACS control-plane configuration:")).toBe(true);
    for (const pattern of expected) expect(error.message).toMatch(pattern);
    // No secret is ever echoed back in the error.
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain(SECRET);
  });

  it("collects every problem into the one error", () => {
    const error = configError({ ACS_AUTH_MODEL: "entra-id", AZURE_AUTHORITY_HOST: "ftp://x" });
    expect(error.problems.length).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(/ACS_ENDPOINT is required/);
    expect(error.message).toMatch(/missing: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET/);
    expect(error.message).toMatch(/AZURE_AUTHORITY_HOST/);
  });

  it("createIdentityGateway refuses to start on a bad configuration (nothing is contacted)", async () => {
    const lines: string[] = [];
    await expect(
      createIdentityGateway(env({ ACS_ENDPOINT: ENDPOINT }), { log: (l) => lines.push(l) }),
    ).rejects.toBeInstanceOf(ControlPlaneConfigError);
    expect(lines).toEqual([]);
  });
});

describe("describeControlPlane (the start-up log line)", () => {
  it.each<Record<string, string>>([
    { ACS_CONNECTION_STRING: `endpoint=${ENDPOINT};accesskey=${KEY}` },
    { ACS_ENDPOINT: ENDPOINT, ACS_ACCESS_KEY: KEY },
    {
      ACS_ENDPOINT: ENDPOINT,
      AZURE_TENANT_ID: "tenant-1",
      AZURE_CLIENT_ID: "client-1",
      AZURE_CLIENT_SECRET: SECRET,
    },
    {
      ACS_ENDPOINT: ENDPOINT,
      IDENTITY_ENDPOINT: "http://127.0.0.1:41000/msi/token",
      IDENTITY_HEADER: SECRET,
      AZURE_CLIENT_ID: "uai-1",
    },
    {},
  ])("names model and endpoint, never a secret: %j", (vars) => {
    const config = resolveControlPlaneConfig(env(vars));
    const line = describeControlPlane(config);
    expect(line).toContain(`model=${config.model}`);
    expect(line).toMatch(/endpoint=https:\/\//);
    for (const secret of [KEY, SECRET, "accesskey"]) expect(line).not.toContain(secret);
    if (config.model === "entra-id") expect(line).toContain("client=client-1");
    if (config.model === "managed-identity") expect(line).toContain("user-assigned uai-1");
  });
});
