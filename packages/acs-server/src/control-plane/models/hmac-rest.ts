// ACS_ENDPOINT + ACS_ACCESS_KEY: the Identity REST API called with HMAC-signed fetch, no SDK (also
// what the Edge runtime uses).
import type { AuthModelModule } from "./model";

export interface HmacRestConfig {
  model: "hmac-rest";
  endpoint: string;
  accessKey: string;
}

export const hmacRestModel: AuthModelModule<"hmac-rest", HmacRestConfig> = {
  name: "hmac-rest",

  infer(env) {
    if (env.ACS_CONNECTION_STRING !== undefined || env.ACS_ACCESS_KEY === undefined)
      return undefined;
    if (env.ACS_ENDPOINT === undefined)
      return { problem: "ACS_ACCESS_KEY is set but ACS_ENDPOINT is not: hmac-rest needs both." };
    return { because: "ACS_ACCESS_KEY" };
  },

  validate(env, checks) {
    const endpoint = checks.requireEndpoint("hmac-rest", false);
    if (env.ACS_ACCESS_KEY === undefined) {
      checks.problem("The hmac-rest model needs ACS_ACCESS_KEY (with ACS_ENDPOINT).");
      return undefined;
    }
    const keyOk = checks.accessKey(env.ACS_ACCESS_KEY, "ACS_ACCESS_KEY");
    return endpoint && keyOk
      ? { model: "hmac-rest", endpoint, accessKey: env.ACS_ACCESS_KEY }
      : undefined;
  },

  describe: (config) =>
    `ACS control plane: model=hmac-rest endpoint=${config.endpoint} (access key, HMAC-SHA256)`,

  async create(config, runtime) {
    const local = await runtime.localEmulator(config.endpoint);
    return {
      gateway: runtime.hmacRestGateway({
        endpoint: config.endpoint,
        accessKey: config.accessKey,
        local,
      }),
    };
  },

  hmacKey: (config) => ({ endpoint: config.endpoint, accessKey: config.accessKey }),
};
