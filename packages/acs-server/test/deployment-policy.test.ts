// The production start-up rule: NODE_ENV=production needs a real ACS (every model) and DATABASE_URL,
// unless ACS_STACK_ALLOW_DEV_DEFAULTS=true; the build and non-production runs need nothing.
import { describe, expect, it } from "vitest";

import {
  MISSING_ACS,
  MISSING_DATABASE,
  checkDeployment,
  deploymentErrorMessage,
  devDefaultsWarning,
} from "../src/deployment-policy";
import { readServerEnv } from "../src/env";

const KEY = "c2VjcmV0LWFjY2Vzcy1rZXktZm9yLXRlc3RzLW9ubHktMTIzNDU2Nzg5MA==";
const ENDPOINT = "https://contoso.communication.azure.com/";
const DATABASE_URL = "postgres://app:pw@db.internal:5432/app";

/** Every real model, as an operator configures it. */
const MODELS: Record<string, Record<string, string>> = {
  "connection-string": { ACS_CONNECTION_STRING: `endpoint=${ENDPOINT};accesskey=${KEY}` },
  "hmac-rest": { ACS_ENDPOINT: ENDPOINT, ACS_ACCESS_KEY: KEY },
  "entra-id": {
    ACS_ENDPOINT: ENDPOINT,
    AZURE_TENANT_ID: "t",
    AZURE_CLIENT_ID: "c",
    AZURE_CLIENT_SECRET: "client-secret-value-7f3a",
  },
  "managed-identity (system-assigned, forced)": {
    ACS_ENDPOINT: ENDPOINT,
    ACS_AUTH_MODEL: "managed-identity",
  },
  "managed-identity (App Service variables)": {
    ACS_ENDPOINT: ENDPOINT,
    IDENTITY_ENDPOINT: "http://127.0.0.1:41000/msi/token",
    IDENTITY_HEADER: "h",
  },
};

function check(vars: Record<string, string>, options?: { building?: boolean }) {
  return checkDeployment(readServerEnv(vars), options);
}

const production = (vars: Record<string, string> = {}) => ({ NODE_ENV: "production", ...vars });

describe("outside production and during the build nothing is required", () => {
  it.each(["development", "test"])("NODE_ENV=%s on the dev defaults starts", (nodeEnv) => {
    expect(check({ NODE_ENV: nodeEnv })).toEqual({ problems: [], devDefaults: {} });
  });

  it("NODE_ENV unset (development) starts", () => {
    expect(check({})).toEqual({ problems: [], devDefaults: {} });
  });

  it("the production build (building) needs neither ACS nor DATABASE_URL", () => {
    expect(check(production(), { building: true })).toEqual({ problems: [], devDefaults: {} });
  });
});

describe("a production server", () => {
  it("with nothing configured names ACS and DATABASE_URL", () => {
    const { problems, devDefaults } = check(production());
    expect(problems).toEqual([MISSING_ACS, MISSING_DATABASE]);
    expect(devDefaults).toEqual({});
    const message = deploymentErrorMessage(problems);
    for (const variable of [
      "DATABASE_URL",
      "ACS_CONNECTION_STRING",
      "ACS_ENDPOINT",
      "ACS_ACCESS_KEY",
      "AZURE_TENANT_ID",
      "AZURE_CLIENT_ID",
      "AZURE_CLIENT_SECRET",
      "ACS_AUTH_MODEL=managed-identity",
      "ACS_STACK_ALLOW_DEV_DEFAULTS=true",
    ]) {
      expect(message).toContain(variable);
    }
  });

  it.each(Object.entries(MODELS))("with %s and DATABASE_URL starts", (_model, vars) => {
    expect(check(production({ ...vars, DATABASE_URL }))).toEqual({
      problems: [],
      devDefaults: {},
    });
  });

  it.each(Object.entries(MODELS))("with %s but no DATABASE_URL names DATABASE_URL", (_m, vars) => {
    expect(check(production(vars)).problems).toEqual([MISSING_DATABASE]);
  });

  it("with DATABASE_URL but no ACS names the ACS variables", () => {
    expect(check(production({ DATABASE_URL })).problems).toEqual([MISSING_ACS]);
  });

  it("with the emulator model forced (ACS_AUTH_MODEL=emulator) is refused like no ACS", () => {
    expect(check(production({ ACS_AUTH_MODEL: "emulator", DATABASE_URL })).problems).toEqual([
      MISSING_ACS,
    ]);
  });

  it("with a partial ACS configuration names what that model lacks, never its secret", () => {
    const { problems } = check(
      production({ ACS_ENDPOINT: ENDPOINT, AZURE_TENANT_ID: "t", DATABASE_URL }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/missing: AZURE_CLIENT_ID, AZURE_CLIENT_SECRET/),
    ]);

    const secret = "bm90LWEtcmVhbC1rZXktYnV0LWEtc2VjcmV0LW9uZQ==";
    const malformed = check(production({ ACS_CONNECTION_STRING: `accesskey=${secret}` }));
    expect(malformed.problems).toEqual([
      expect.stringMatching(/ACS_CONNECTION_STRING is malformed/),
      MISSING_DATABASE,
    ]);
    expect(deploymentErrorMessage(malformed.problems)).not.toContain(secret);
  });
});

describe("ACS_STACK_ALLOW_DEV_DEFAULTS=true in production", () => {
  it.each(["true", "1"])("=%s starts on PGlite and a running emulator, and says which", (flag) => {
    const result = check(
      production({
        ACS_STACK_ALLOW_DEV_DEFAULTS: flag,
        ACS_EMULATOR_PORT: "10601",
        PGLITE_DATA_DIR: "/srv/demo/pglite",
      }),
    );
    expect(result).toEqual({
      problems: [],
      devDefaults: {
        pglite: "/srv/demo/pglite",
        emulator: { host: "127.0.0.1", port: 10601 },
      },
    });
  });

  it("uses only the defaults it needs: a real ACS and PostgreSQL leave none", () => {
    const allow = { ACS_STACK_ALLOW_DEV_DEFAULTS: "true" };
    expect(check(production({ ...allow, DATABASE_URL })).devDefaults).toEqual({
      emulator: { host: "127.0.0.1", port: 10443 },
    });
    expect(check(production({ ...allow, ...MODELS["hmac-rest"] })).devDefaults).toEqual({
      pglite: ".data/pglite",
    });
    expect(check(production({ ...allow, ...MODELS["hmac-rest"], DATABASE_URL }))).toEqual({
      problems: [],
      devDefaults: {},
    });
  });

  it("does not excuse a broken ACS configuration", () => {
    const { problems } = check(
      production({ ACS_STACK_ALLOW_DEV_DEFAULTS: "true", ACS_ENDPOINT: ENDPOINT }),
    );
    expect(problems).toEqual([expect.stringMatching(/ACS_ENDPOINT is set without a credential/)]);
  });

  it("=false is the same as unset", () => {
    expect(check(production({ ACS_STACK_ALLOW_DEV_DEFAULTS: "false" })).problems).toEqual([
      MISSING_ACS,
      MISSING_DATABASE,
    ]);
  });
});

describe("what the server prints", () => {
  it("one error, every problem on its own line; the dev-defaults hint only where it would help", () => {
    const message = deploymentErrorMessage([MISSING_DATABASE, "AUTH_SECRET is not set."]);
    expect(message.split("\n")).toEqual([
      "acs-stack cannot start in production (NODE_ENV=production):",
      `  - ${MISSING_DATABASE}`,
      "  - AUTH_SECRET is not set.",
      expect.stringContaining("ACS_STACK_ALLOW_DEV_DEFAULTS=true"),
    ]);
    expect(deploymentErrorMessage(["AUTH_SECRET is not set."])).not.toContain(
      "ACS_STACK_ALLOW_DEV_DEFAULTS",
    );
  });

  it("one loud WARN line naming each dev default and whether the emulator answers", () => {
    const defaults = { pglite: ".data/pglite", emulator: { host: "127.0.0.1", port: 10601 } };
    const answering = devDefaultsWarning(defaults, true);
    expect(answering).toMatch(/^WARN ACS_STACK_ALLOW_DEV_DEFAULTS=true: /);
    expect(answering).not.toContain("\n");
    expect(answering).toContain("PGlite in .data/pglite");
    expect(answering).toContain(
      "the ACS emulator at 127.0.0.1:10601 (never started by this server, answering)",
    );
    expect(devDefaultsWarning(defaults, false)).toContain("NOT answering");
    expect(devDefaultsWarning({})).toBeUndefined();
  });
});
