// Entry point for the Edge runtime (Next.js `export const runtime = "edge"`): the Identity API over
// HMAC-signed fetch, configured from the same variables as the Node control plane. Imports only
// Web-platform code, zod and @acs-stack/config's import-free helpers — never the SDKs, the
// emulator, the database or node: modules.
import { unsetIfBlank } from "@acs-stack/config/unset-if-blank";

import { resolveControlPlaneConfig } from "./config";
import { HmacRestIdentityGateway } from "./hmac-rest-gateway";
import { modelOf } from "./models/index";

export { ControlPlaneConfigError, describeControlPlane, resolveControlPlaneConfig } from "./config";
export { HmacRestIdentityGateway, type HmacRestGatewayOptions } from "./hmac-rest-gateway";
export {
  signAcsRequest,
  stringToSign,
  type AcsSignatureHeaders,
  type SignableRequest,
} from "./hmac-signer";
export { AcsGatewayError, type IdentityGateway } from "./identity-gateway";

/**
 * The gateway an Edge route can use: hmac-rest, or connection-string (same key, same signature).
 * Entra ID, managed identity and the embedded emulator need Node; they are refused with a clear error.
 */
export function createEdgeIdentityGateway(
  /** Raw variables, e.g. `process.env` in a Next.js Edge route; empty strings count as unset. */
  variables: Readonly<Record<string, string | undefined>>,
  options: { fetch?: typeof fetch } = {},
): HmacRestIdentityGateway {
  const read = (name: string) => unsetIfBlank(variables[name]);
  const config = resolveControlPlaneConfig({
    ACS_CONNECTION_STRING: read("ACS_CONNECTION_STRING"),
    ACS_ENDPOINT: read("ACS_ENDPOINT"),
    ACS_ACCESS_KEY: read("ACS_ACCESS_KEY"),
    ACS_AUTH_MODEL: read("ACS_AUTH_MODEL"),
    AZURE_TENANT_ID: read("AZURE_TENANT_ID"),
    AZURE_CLIENT_ID: read("AZURE_CLIENT_ID"),
    AZURE_CLIENT_SECRET: read("AZURE_CLIENT_SECRET"),
    AZURE_AUTHORITY_HOST: read("AZURE_AUTHORITY_HOST"),
    IDENTITY_ENDPOINT: read("IDENTITY_ENDPOINT"),
    IDENTITY_HEADER: read("IDENTITY_HEADER"),
    // The embedded emulator cannot run on Edge; these only complete the shape.
    ACS_EMULATOR_HOST: "127.0.0.1",
    ACS_EMULATOR_PORT: 10443,
    ACS_EMULATOR_DATA_DIR: ".data/acs-emulator",
    ACS_EMULATOR_IN_MEMORY: false,
    NODE_ENV: "production",
  });
  const signing = modelOf(config).hmacKey?.(config);
  if (!signing) {
    throw new Error(
      `The ${config.model} model needs the Node.js runtime (@azure/identity or the embedded emulator); ` +
        "on the Edge runtime configure ACS_ENDPOINT + ACS_ACCESS_KEY (hmac-rest) or ACS_CONNECTION_STRING.",
    );
  }
  return new HmacRestIdentityGateway({
    ...signing,
    model: config.model,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
