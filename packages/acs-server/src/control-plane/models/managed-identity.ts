// ACS_ENDPOINT + the host's managed identity (IMDS, or App Service / Container Apps through
// IDENTITY_ENDPOINT + IDENTITY_HEADER): the Identity SDK with a bearer token from @azure/identity.
import type { AuthModelModule } from "./model";

export interface ManagedIdentityConfig {
  model: "managed-identity";
  endpoint: string;
  /** User-assigned identity; undefined → system-assigned. */
  clientId?: string;
  /** App Service / Container Apps protocol endpoint (read by MSAL from IDENTITY_ENDPOINT). */
  identityEndpoint?: string;
}

export const managedIdentityModel: AuthModelModule<"managed-identity", ManagedIdentityConfig> = {
  name: "managed-identity",

  infer(env) {
    if (env.ACS_CONNECTION_STRING !== undefined || env.ACS_ENDPOINT === undefined) return undefined;
    return env.IDENTITY_ENDPOINT !== undefined ? { because: "IDENTITY_ENDPOINT" } : undefined;
  },

  validate(env, checks) {
    const endpoint = checks.requireEndpoint("managed-identity", true);
    if (env.AZURE_CLIENT_SECRET !== undefined) {
      checks.problem(
        "AZURE_CLIENT_SECRET is set with the managed-identity model: a managed identity has no secret (remove it, or use entra-id).",
      );
    }
    if ((env.IDENTITY_ENDPOINT === undefined) !== (env.IDENTITY_HEADER === undefined)) {
      checks.problem(
        "IDENTITY_ENDPOINT and IDENTITY_HEADER come together (App Service / Container Apps set both); one is missing.",
      );
    }
    if (env.IDENTITY_ENDPOINT !== undefined && !URL.canParse(env.IDENTITY_ENDPOINT)) {
      checks.problem("IDENTITY_ENDPOINT is not a URL.");
    }
    if (!endpoint || checks.count > 0) return undefined;
    return {
      model: "managed-identity",
      endpoint,
      ...(env.AZURE_CLIENT_ID !== undefined ? { clientId: env.AZURE_CLIENT_ID } : {}),
      ...(env.IDENTITY_ENDPOINT !== undefined ? { identityEndpoint: env.IDENTITY_ENDPOINT } : {}),
    };
  },

  describe: (config) =>
    `ACS control plane: model=managed-identity endpoint=${config.endpoint} ` +
    `identity=${config.clientId ? `user-assigned ${config.clientId}` : "system-assigned"} ` +
    `source=${config.identityEndpoint ? new URL(config.identityEndpoint).origin : "IMDS"}`,

  async create(config, runtime) {
    const local = await runtime.localEmulator(config.endpoint);
    const credential = runtime.managedIdentityCredential(config);
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
