// Environment → one resolved control-plane configuration (which ACS, which auth model), validated
// with zod refinements over the env object. Pure: no I/O, so every misconfiguration is testable
// and fails at start-up with one message naming the variables.
import { z } from "zod";

import type { ServerEnv } from "../env";
import type { AuthModel } from "./identity-gateway";

export const AUTH_MODELS = [
  "connection-string",
  "entra-id",
  "managed-identity",
  "hmac-rest",
  "emulator",
] as const satisfies readonly AuthModel[];

/** The env variables the control plane reads (a subset of ServerEnv, so tests can pass plain objects). */
export type ControlPlaneEnv = Pick<
  ServerEnv,
  | "ACS_CONNECTION_STRING"
  | "ACS_ENDPOINT"
  | "ACS_ACCESS_KEY"
  | "ACS_AUTH_MODEL"
  | "AZURE_TENANT_ID"
  | "AZURE_CLIENT_ID"
  | "AZURE_CLIENT_SECRET"
  | "AZURE_AUTHORITY_HOST"
  | "IDENTITY_ENDPOINT"
  | "IDENTITY_HEADER"
  | "ACS_EMULATOR_HOST"
  | "ACS_EMULATOR_PORT"
  | "ACS_EMULATOR_DATA_DIR"
  | "ACS_EMULATOR_IN_MEMORY"
  | "NODE_ENV"
>;

export type ControlPlaneConfig =
  | { model: "connection-string"; endpoint: string; connectionString: string }
  | {
      model: "entra-id";
      endpoint: string;
      tenantId: string;
      clientId: string;
      clientSecret: string;
      /** Undefined → @azure/identity's default (AZURE_AUTHORITY_HOST or login.microsoftonline.com). */
      authorityHost?: string;
      /** MSAL's instance discovery only knows Microsoft's clouds: off for any other authority. */
      disableInstanceDiscovery: boolean;
    }
  | {
      model: "managed-identity";
      endpoint: string;
      /** User-assigned identity; undefined → system-assigned. */
      clientId?: string;
      /** App Service / Container Apps protocol endpoint (read by MSAL from IDENTITY_ENDPOINT). */
      identityEndpoint?: string;
    }
  | { model: "hmac-rest"; endpoint: string; accessKey: string }
  | {
      model: "emulator";
      host: string;
      port: number;
      dataDir: string;
      inMemory: boolean;
      /** False in production: only an emulator that is already running is used, never one started here. */
      startInProcess: boolean;
    };

/** Start-up failure: the configuration names no usable, unambiguous ACS credential. */
export class ControlPlaneConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid ACS control-plane configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\n` +
        "See the configuration table in the README (ACS_AUTH_MODEL, ACS_CONNECTION_STRING, ACS_ENDPOINT, …).",
    );
    this.name = "ControlPlaneConfigError";
  }
}

const MICROSOFT_AUTHORITY_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.microsoftonline.de",
]);

export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);

// The SDK's own parser (communication-common connectionString.js): greedy, case-insensitive.
const CONNECTION_STRING = /^endpoint=(.*);accesskey=(.*)$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

type Problems = string[];

/** An ACS endpoint as the Identity SDK accepts it: http(s), a host, no path; https unless loopback. */
function checkEndpoint(
  value: string,
  variable: string,
  problems: Problems,
  requireHttps: boolean,
): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(
      `${variable} is not a URL (expected https://<resource>.communication.azure.com/).`,
    );
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    problems.push(`${variable} must be an https:// URL, got ${url.protocol}.`);
    return undefined;
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
    problems.push(
      `${variable} must be the resource's origin with no path or query (the Identity SDK rejects sub-paths).`,
    );
    return undefined;
  }
  if (url.protocol === "http:" && (requireHttps || !LOOPBACK_HOSTS.has(url.hostname))) {
    problems.push(
      requireHttps
        ? `${variable} must use https: bearer tokens (Entra ID, managed identity) are never sent over plain http.`
        : `${variable} must use https (plain http is accepted for loopback hosts only).`,
    );
    return undefined;
  }
  return `${url.origin}/`;
}

function checkAccessKey(value: string, variable: string, problems: Problems): boolean {
  if (!BASE64.test(value)) {
    problems.push(
      `${variable} must be the resource's base64 access key (Keys blade of the ACS resource).`,
    );
    return false;
  }
  return true;
}

function parseConnectionString(value: string, problems: Problems) {
  const match = CONNECTION_STRING.exec(value.trim());
  if (!match) {
    problems.push(
      "ACS_CONNECTION_STRING is malformed: expected endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>.",
    );
    return undefined;
  }
  const endpoint = checkEndpoint(
    match[1] ?? "",
    "ACS_CONNECTION_STRING's endpoint",
    problems,
    false,
  );
  const keyOk = checkAccessKey(match[2] ?? "", "ACS_CONNECTION_STRING's accesskey", problems);
  return endpoint && keyOk ? endpoint : undefined;
}

/** Which model the variables ask for, before checking that model's own requirements. */
function inferModel(env: ControlPlaneEnv, problems: Problems): AuthModel | undefined {
  if (env.ACS_AUTH_MODEL !== undefined) {
    const forced = AUTH_MODELS.find((m) => m === env.ACS_AUTH_MODEL);
    if (!forced) {
      problems.push(
        `ACS_AUTH_MODEL="${env.ACS_AUTH_MODEL}" is not one of ${AUTH_MODELS.join(", ")}.`,
      );
    }
    return forced;
  }
  const hasServicePrincipal =
    env.AZURE_TENANT_ID !== undefined || env.AZURE_CLIENT_SECRET !== undefined;
  if (env.ACS_CONNECTION_STRING !== undefined) {
    const others = [
      env.ACS_ENDPOINT !== undefined && "ACS_ENDPOINT",
      env.ACS_ACCESS_KEY !== undefined && "ACS_ACCESS_KEY",
    ].filter(Boolean);
    if (others.length > 0) {
      problems.push(
        `ACS_CONNECTION_STRING and ${others.join(" and ")} are both set: the connection string already holds the endpoint and key. Set only one, or force a model with ACS_AUTH_MODEL.`,
      );
      return undefined;
    }
    return "connection-string";
  }
  if (env.ACS_ENDPOINT === undefined) {
    if (env.ACS_ACCESS_KEY !== undefined) {
      problems.push("ACS_ACCESS_KEY is set but ACS_ENDPOINT is not: hmac-rest needs both.");
      return undefined;
    }
    return "emulator";
  }
  const candidates: { model: AuthModel; because: string }[] = [];
  if (env.ACS_ACCESS_KEY !== undefined)
    candidates.push({ model: "hmac-rest", because: "ACS_ACCESS_KEY" });
  if (hasServicePrincipal)
    candidates.push({ model: "entra-id", because: "AZURE_TENANT_ID/AZURE_CLIENT_SECRET" });
  if (env.IDENTITY_ENDPOINT !== undefined)
    candidates.push({ model: "managed-identity", because: "IDENTITY_ENDPOINT" });
  if (candidates.length > 1) {
    problems.push(
      `ACS_ENDPOINT is set with credentials of several models at once (${candidates.map((c) => `${c.because} → ${c.model}`).join("; ")}). Remove all but one, or choose with ACS_AUTH_MODEL.`,
    );
    return undefined;
  }
  const only = candidates[0];
  if (!only) {
    problems.push(
      "ACS_ENDPOINT is set without a credential: set ACS_ACCESS_KEY (hmac-rest), AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET (entra-id), or ACS_AUTH_MODEL=managed-identity (on Azure), or use ACS_CONNECTION_STRING instead.",
    );
    return undefined;
  }
  return only.model;
}

function buildConfig(env: ControlPlaneEnv, problems: Problems): ControlPlaneConfig | undefined {
  const model = inferModel(env, problems);
  if (!model) return undefined;
  const requireEndpoint = (requireHttps: boolean) => {
    if (env.ACS_ENDPOINT === undefined) {
      problems.push(`ACS_ENDPOINT is required for the ${model} model.`);
      return undefined;
    }
    return checkEndpoint(env.ACS_ENDPOINT, "ACS_ENDPOINT", problems, requireHttps);
  };
  switch (model) {
    case "connection-string": {
      if (env.ACS_CONNECTION_STRING === undefined) {
        problems.push("ACS_AUTH_MODEL=connection-string needs ACS_CONNECTION_STRING.");
        return undefined;
      }
      const endpoint = parseConnectionString(env.ACS_CONNECTION_STRING, problems);
      return endpoint
        ? { model, endpoint, connectionString: env.ACS_CONNECTION_STRING.trim() }
        : undefined;
    }
    case "hmac-rest": {
      const endpoint = requireEndpoint(false);
      if (env.ACS_ACCESS_KEY === undefined) {
        problems.push("The hmac-rest model needs ACS_ACCESS_KEY (with ACS_ENDPOINT).");
        return undefined;
      }
      const keyOk = checkAccessKey(env.ACS_ACCESS_KEY, "ACS_ACCESS_KEY", problems);
      return endpoint && keyOk ? { model, endpoint, accessKey: env.ACS_ACCESS_KEY } : undefined;
    }
    case "entra-id": {
      const endpoint = requireEndpoint(true);
      const missing = (
        [
          ["AZURE_TENANT_ID", env.AZURE_TENANT_ID],
          ["AZURE_CLIENT_ID", env.AZURE_CLIENT_ID],
          ["AZURE_CLIENT_SECRET", env.AZURE_CLIENT_SECRET],
        ] as const
      )
        .filter(([, value]) => value === undefined)
        .map(([name]) => name);
      if (missing.length > 0) {
        problems.push(
          `The entra-id model needs AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET together; missing: ${missing.join(", ")}.`,
        );
      }
      const authority = checkAuthorityHost(env.AZURE_AUTHORITY_HOST, problems);
      if (!endpoint || missing.length > 0 || authority === null) return undefined;
      return {
        model,
        endpoint,
        tenantId: env.AZURE_TENANT_ID ?? "",
        clientId: env.AZURE_CLIENT_ID ?? "",
        clientSecret: env.AZURE_CLIENT_SECRET ?? "",
        ...(authority ? { authorityHost: authority } : {}),
        disableInstanceDiscovery:
          authority !== undefined && !MICROSOFT_AUTHORITY_HOSTS.has(new URL(authority).hostname),
      };
    }
    case "managed-identity": {
      const endpoint = requireEndpoint(true);
      if (env.AZURE_CLIENT_SECRET !== undefined) {
        problems.push(
          "AZURE_CLIENT_SECRET is set with the managed-identity model: a managed identity has no secret (remove it, or use entra-id).",
        );
      }
      if ((env.IDENTITY_ENDPOINT === undefined) !== (env.IDENTITY_HEADER === undefined)) {
        problems.push(
          "IDENTITY_ENDPOINT and IDENTITY_HEADER come together (App Service / Container Apps set both); one is missing.",
        );
      }
      if (env.IDENTITY_ENDPOINT !== undefined && !URL.canParse(env.IDENTITY_ENDPOINT)) {
        problems.push("IDENTITY_ENDPOINT is not a URL.");
      }
      if (!endpoint || problems.length > 0) return undefined;
      return {
        model,
        endpoint,
        ...(env.AZURE_CLIENT_ID !== undefined ? { clientId: env.AZURE_CLIENT_ID } : {}),
        ...(env.IDENTITY_ENDPOINT !== undefined ? { identityEndpoint: env.IDENTITY_ENDPOINT } : {}),
      };
    }
    case "emulator":
      return {
        model,
        host: env.ACS_EMULATOR_HOST,
        port: env.ACS_EMULATOR_PORT,
        dataDir: env.ACS_EMULATOR_DATA_DIR,
        inMemory: env.ACS_EMULATOR_IN_MEMORY,
        startInProcess: env.NODE_ENV !== "production",
      };
  }
}

/** undefined = not set; null = invalid (problem recorded). */
function checkAuthorityHost(
  value: string | undefined,
  problems: Problems,
): string | undefined | null {
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || new URL(value).protocol !== "https:") {
    problems.push(
      "AZURE_AUTHORITY_HOST must be an https:// URL (MSAL refuses any other authority).",
    );
    return null;
  }
  return value.replace(/\/+$/, "");
}

const envSchema = z
  .custom<ControlPlaneEnv>((value) => typeof value === "object" && value !== null)
  .transform((env, ctx) => {
    const problems: Problems = [];
    const config = buildConfig(env, problems);
    for (const message of problems) ctx.addIssue({ code: "custom", message });
    return config ?? z.NEVER;
  });

/** Resolves the configuration or throws ONE ControlPlaneConfigError listing every problem. */
export function resolveControlPlaneConfig(env: ControlPlaneEnv): ControlPlaneConfig {
  const result = envSchema.safeParse(env);
  if (!result.success)
    throw new ControlPlaneConfigError(result.error.issues.map((issue) => issue.message));
  return result.data;
}

/** The active model for this environment (pure; throws ControlPlaneConfigError when ambiguous or partial). */
export function selectAuthModel(env: ControlPlaneEnv): AuthModel {
  return resolveControlPlaneConfig(env).model;
}

/**
 * A log-safe summary: model, endpoint and non-secret identifiers. Never the access key, the
 * connection string (it holds the key), the client secret or the identity header.
 */
export function describeControlPlane(
  config: ControlPlaneConfig,
  actual?: { endpoint: string; reused?: boolean; emulator?: boolean },
): string {
  const line = describeModel(config, actual);
  return config.model !== "emulator" && actual?.emulator ? `${line} [a local acs-emulator]` : line;
}

function describeModel(
  config: ControlPlaneConfig,
  actual?: { endpoint: string; reused?: boolean },
): string {
  switch (config.model) {
    case "connection-string":
    case "hmac-rest":
      return `ACS control plane: model=${config.model} endpoint=${config.endpoint} (access key, HMAC-SHA256)`;
    case "entra-id":
      return (
        `ACS control plane: model=entra-id endpoint=${config.endpoint} tenant=${config.tenantId} ` +
        `client=${config.clientId} authority=${config.authorityHost ?? "default"}` +
        (config.disableInstanceDiscovery ? " (instance discovery off)" : "")
      );
    case "managed-identity":
      return (
        `ACS control plane: model=managed-identity endpoint=${config.endpoint} ` +
        `identity=${config.clientId ? `user-assigned ${config.clientId}` : "system-assigned"} ` +
        `source=${config.identityEndpoint ? new URL(config.identityEndpoint).origin : "IMDS"}`
      );
    case "emulator": {
      const where = actual?.endpoint ?? `https://${config.host}:${config.port}/`;
      const how = actual
        ? actual.reused
          ? "reused running emulator"
          : "started in-process"
        : config.startInProcess
          ? "start or reuse"
          : "reuse only";
      const storage = config.inMemory ? "in memory" : `data dir ${config.dataDir}`;
      return `ACS control plane: model=emulator endpoint=${where} (${how}, ${storage})`;
    }
  }
}
