// ACS_ENDPOINT + a Microsoft Entra ID service principal (AZURE_TENANT_ID, AZURE_CLIENT_ID,
// AZURE_CLIENT_SECRET): the Identity SDK with a bearer token from @azure/identity.
import type { AuthModelModule, SettingChecks } from "./model";

export interface EntraIdConfig {
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

const MICROSOFT_AUTHORITY_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.microsoftonline.de",
]);

/** undefined = not set; null = invalid (problem recorded). */
function checkAuthorityHost(
  value: string | undefined,
  checks: SettingChecks,
): string | undefined | null {
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || new URL(value).protocol !== "https:") {
    checks.problem(
      "AZURE_AUTHORITY_HOST must be an https:// URL (MSAL refuses any other authority).",
    );
    return null;
  }
  return value.replace(/\/+$/, "");
}

export const entraIdModel: AuthModelModule<"entra-id", EntraIdConfig> = {
  name: "entra-id",

  infer(env) {
    if (env.ACS_CONNECTION_STRING !== undefined || env.ACS_ENDPOINT === undefined) return undefined;
    const hasServicePrincipal =
      env.AZURE_TENANT_ID !== undefined || env.AZURE_CLIENT_SECRET !== undefined;
    return hasServicePrincipal ? { because: "AZURE_TENANT_ID/AZURE_CLIENT_SECRET" } : undefined;
  },

  validate(env, checks) {
    const endpoint = checks.requireEndpoint("entra-id", true);
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
      checks.problem(
        `The entra-id model needs AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET together; missing: ${missing.join(", ")}.`,
      );
    }
    const authority = checkAuthorityHost(env.AZURE_AUTHORITY_HOST, checks);
    if (!endpoint || missing.length > 0 || authority === null) return undefined;
    return {
      model: "entra-id",
      endpoint,
      tenantId: env.AZURE_TENANT_ID ?? "",
      clientId: env.AZURE_CLIENT_ID ?? "",
      clientSecret: env.AZURE_CLIENT_SECRET ?? "",
      ...(authority ? { authorityHost: authority } : {}),
      disableInstanceDiscovery:
        authority !== undefined && !MICROSOFT_AUTHORITY_HOSTS.has(new URL(authority).hostname),
    };
  },

  describe: (config) =>
    `ACS control plane: model=entra-id endpoint=${config.endpoint} tenant=${config.tenantId} ` +
    `client=${config.clientId} authority=${config.authorityHost ?? "default"}` +
    (config.disableInstanceDiscovery ? " (instance discovery off)" : ""),

  async create(config, runtime) {
    const local = await runtime.localEmulator(config.endpoint);
    const credential = runtime.entraCredential(config, local);
    return {
      gateway: runtime.sdkGateway({
        model: config.model,
        endpoint: config.endpoint,
        local,
        auth: { credential },
      }),
    };
  },
};
