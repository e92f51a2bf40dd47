// The control plane: environment → auth model → IdentityGateway. One factory for every way the
// server authenticates to ACS; the procedures only ever see the IdentityGateway interface.
import type { EmulatorOptions } from "@acs-stack/acs-emulator";
import type { CommunicationIdentityClientOptions } from "@azure/communication-identity";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import type { TokenCredentialOptions } from "@azure/identity";

import type { ControlPlaneConfig, ControlPlaneEnv } from "./config";
import { describeControlPlane, resolveControlPlaneConfig } from "./config";
import { createEntraCredential, createManagedIdentityCredential } from "./credentials";
import { startOrReuseEmulator } from "./emulator";
import { HmacRestIdentityGateway } from "./hmac-rest-gateway";
import type { IdentityGateway } from "./identity-gateway";
import { SdkIdentityGateway } from "./sdk-identity-gateway";

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
   * CA, `retryOptions`). Merged under what the model needs (the emulator adds its own CA).
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
  const gateway = await gatewayFor(config, options);
  log(describeControlPlane(config, { endpoint: gateway.endpoint, reused: gateway.emulator && !ownsEmulator.has(gateway) }));
  return gateway;
}

const ownsEmulator = new WeakSet<IdentityGateway>();

async function gatewayFor(config: ControlPlaneConfig, options: ControlPlaneOptions): Promise<IdentityGateway> {
  const clientOptions = options.clientOptions ?? {};
  switch (config.model) {
    case "connection-string":
      return new SdkIdentityGateway(new CommunicationIdentityClient(config.connectionString, clientOptions), {
        model: config.model,
        endpoint: config.endpoint,
        emulator: false,
      });
    case "entra-id":
      return new SdkIdentityGateway(
        new CommunicationIdentityClient(
          config.endpoint,
          createEntraCredential(config, options.credentialOptions),
          clientOptions,
        ),
        { model: config.model, endpoint: config.endpoint, emulator: false },
      );
    case "managed-identity":
      return new SdkIdentityGateway(
        new CommunicationIdentityClient(
          config.endpoint,
          createManagedIdentityCredential(config, options.credentialOptions),
          clientOptions,
        ),
        { model: config.model, endpoint: config.endpoint, emulator: false },
      );
    case "hmac-rest":
      return new HmacRestIdentityGateway({
        endpoint: config.endpoint,
        accessKey: config.accessKey,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
    case "emulator": {
      const target = await startOrReuseEmulator(config, options.emulatorOptions, options.probeTimeoutMs);
      const client = new CommunicationIdentityClient(target.connectionString, {
        ...clientOptions,
        tlsOptions: { ...clientOptions.tlsOptions, ca: target.caCertPem },
      });
      const gateway = new SdkIdentityGateway(client, {
        model: "emulator",
        endpoint: target.endpoint,
        emulator: true,
        emulatorCaCertPem: target.caCertPem,
        onClose: target.close,
      });
      if (!target.reused) ownsEmulator.add(gateway);
      return gateway;
    }
  }
}
