// ACS_CONNECTION_STRING: the resource's endpoint and access key in one variable, used by the
// Identity SDK as is (and, on the Edge runtime, split into the two for HMAC-signed REST).
import type { ControlPlaneEnv } from "../config";
import type { AuthModelModule, SettingChecks } from "./model";

export interface ConnectionStringConfig {
  model: "connection-string";
  endpoint: string;
  connectionString: string;
}

// The SDK's own parser (communication-common connectionString.js): greedy, case-insensitive.
const CONNECTION_STRING = /^endpoint=(.*);accesskey=(.*)$/i;

/** The two parts of a connection string, unchecked; undefined when it has not that shape. */
function splitConnectionString(value: string): { endpoint: string; accessKey: string } | undefined {
  const match = CONNECTION_STRING.exec(value.trim());
  return match ? { endpoint: match[1] ?? "", accessKey: match[2] ?? "" } : undefined;
}

/** The checked endpoint of a connection string; undefined after recording every problem. */
function checkConnectionString(value: string, checks: SettingChecks): string | undefined {
  const parts = splitConnectionString(value);
  if (!parts) {
    checks.problem(
      "ACS_CONNECTION_STRING is malformed: expected endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>.",
    );
    return undefined;
  }
  const endpoint = checks.endpoint(parts.endpoint, "ACS_CONNECTION_STRING's endpoint", false);
  const keyOk = checks.accessKey(parts.accessKey, "ACS_CONNECTION_STRING's accesskey");
  return endpoint && keyOk ? endpoint : undefined;
}

export const connectionStringModel: AuthModelModule<"connection-string", ConnectionStringConfig> = {
  name: "connection-string",

  infer(env: ControlPlaneEnv) {
    if (env.ACS_CONNECTION_STRING === undefined) return undefined;
    const others = [
      env.ACS_ENDPOINT !== undefined && "ACS_ENDPOINT",
      env.ACS_ACCESS_KEY !== undefined && "ACS_ACCESS_KEY",
    ].filter(Boolean);
    if (others.length > 0) {
      return {
        problem: `ACS_CONNECTION_STRING and ${others.join(" and ")} are both set: the connection string already holds the endpoint and key. Set only one, or force a model with ACS_AUTH_MODEL.`,
      };
    }
    return { because: "ACS_CONNECTION_STRING" };
  },

  validate(env, checks) {
    if (env.ACS_CONNECTION_STRING === undefined) {
      checks.problem("ACS_AUTH_MODEL=connection-string needs ACS_CONNECTION_STRING.");
      return undefined;
    }
    const endpoint = checkConnectionString(env.ACS_CONNECTION_STRING, checks);
    return endpoint
      ? {
          model: "connection-string",
          endpoint,
          connectionString: env.ACS_CONNECTION_STRING.trim(),
        }
      : undefined;
  },

  describe: (config) =>
    `ACS control plane: model=connection-string endpoint=${config.endpoint} (access key, HMAC-SHA256)`,

  async create(config, runtime) {
    const local = await runtime.localEmulator(config.endpoint);
    const auth = { connectionString: config.connectionString };
    return {
      gateway: runtime.sdkGateway({ model: config.model, endpoint: config.endpoint, local, auth }),
    };
  },

  hmacKey: (config) => ({
    endpoint: config.endpoint,
    // validate() accepted this string, so it has both parts.
    accessKey: splitConnectionString(config.connectionString)?.accessKey ?? "",
  }),
};
