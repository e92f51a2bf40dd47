// The control plane: environment → auth model → IdentityGateway. One factory for every way the
// server authenticates to ACS; the procedures only ever see the IdentityGateway interface.
import type { EmulatorOptions } from "@acs-stack/acs-emulator";
import type { CommunicationIdentityClientOptions } from "@azure/communication-identity";
import type { TokenCredentialOptions } from "@azure/identity";

import type { ControlPlaneEnv } from "./config";
import { describeControlPlane, resolveControlPlaneConfig } from "./config";
import type { IdentityGateway } from "./identity-gateway";
import { modelOf } from "./models/index";
import { createNodeGatewayRuntime } from "./node-runtime";

export {
  AUTH_MODELS,
  ControlPlaneConfigError,
  describeControlPlane,
  resolveControlPlaneConfig,
  selectAuthModel,
  type ControlPlaneConfig,
  type ControlPlaneEnv,
} from "./config";
export { HmacRestIdentityGateway, type HmacRestGatewayOptions } from "./hmac-rest-gateway";
export { signAcsRequest, type AcsSignatureHeaders, type SignableRequest } from "./hmac-signer";
export { SdkIdentityGateway } from "./sdk-identity-gateway";

export interface ControlPlaneOptions {
  /**
   * Extra options for every CommunicationIdentityClient (e.g. `tlsOptions: { ca }` to trust a local
   * CA, `retryOptions`). For an emulator endpoint its CA is added unless `tlsOptions.ca` is given.
   */
  clientOptions?: CommunicationIdentityClientOptions;
  /** Extra options for the @azure/identity credential (entra-id, managed-identity); `tlsOptions` reaches MSAL. */
  credentialOptions?: TokenCredentialOptions;
  /** fetch for the hmac-rest model (defaults to the global one). */
  fetch?: typeof fetch;
  /** Options for an emulator this process starts (e.g. `port: 0`, `entra` principals). */
  emulatorOptions?: EmulatorOptions;
  /** How long to wait for a running emulator to answer `/emulator/info`. Default 1000 ms. */
  probeTimeoutMs?: number;
  /** Deadline of each control-plane call, retries included. Default ACS_CALL_TIMEOUT_MS (5 s). */
  callTimeoutMs?: number;
  /** Start-up line (never contains a secret). Default: console.info. */
  log?: (line: string) => void;
}

/** Builds the gateway of the configured model. Throws ControlPlaneConfigError on bad configuration. */
export async function createIdentityGateway(
  env: ControlPlaneEnv,
  options: ControlPlaneOptions = {},
): Promise<IdentityGateway> {
  const config = resolveControlPlaneConfig(env);
  const log = options.log ?? ((line: string) => console.info(line));
  const { gateway, reused } = await modelOf(config).create(
    config,
    createNodeGatewayRuntime(options),
  );
  log(
    describeControlPlane(config, {
      endpoint: gateway.endpoint,
      reused,
      emulator: gateway.emulator,
    }),
  );
  return gateway;
}
