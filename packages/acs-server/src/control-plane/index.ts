// The control plane: environment → auth model → IdentityGateway. One factory for every way the
// server authenticates to ACS; the procedures only ever see the IdentityGateway interface.
import type { EmulatorOptions } from "@acs-stack/acs-emulator";
import type { CommunicationIdentityClientOptions } from "@azure/communication-identity";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import type { TokenCredentialOptions } from "@azure/identity";

import type { ControlPlaneConfig, ControlPlaneEnv } from "./config";
import { describeControlPlane, LOOPBACK_HOSTS, resolveControlPlaneConfig } from "./config";
import { createEntraCredential, createManagedIdentityCredential } from "./credentials";
import { probeEmulator, startOrReuseEmulator } from "./emulator";
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
  const { gateway, reused } = await gatewayFor(config, options);
  log(
    describeControlPlane(config, {
      endpoint: gateway.endpoint,
      reused,
      emulator: gateway.emulator,
    }),
  );
  return gateway;
}

async function gatewayFor(
  config: ControlPlaneConfig,
  options: ControlPlaneOptions,
): Promise<{ gateway: IdentityGateway; reused?: boolean }> {
  const deadline = options.callTimeoutMs !== undefined ? { timeoutMs: options.callTimeoutMs } : {};
  if (config.model === "emulator") {
    const target = await startOrReuseEmulator(
      config,
      options.emulatorOptions,
      options.probeTimeoutMs,
    );
    const client = new CommunicationIdentityClient(
      target.connectionString,
      withCa(options.clientOptions, target.caCertPem),
    );
    const gateway = new SdkIdentityGateway(client, {
      model: "emulator",
      endpoint: target.endpoint,
      emulator: true,
      emulatorCaCertPem: target.caCertPem,
      onClose: target.close,
      ...deadline,
    });
    return { gateway, reused: target.reused };
  }

  // An explicit model aimed at a loopback endpoint is a developer's running emulator (real ACS is
  // never on loopback): flag it for the client (its loopback handling) and trust its local CA.
  const local = await loopbackEmulator(config.endpoint, options.probeTimeoutMs);
  const emulator = {
    emulator: local !== undefined,
    ...(local ? { emulatorCaCertPem: local.caCertPem } : {}),
  };
  const clientOptions = local
    ? withCa(options.clientOptions, local.caCertPem)
    : (options.clientOptions ?? {});
  // The emulator's local Entra ID (an authority on loopback) serves its tokens under the same CA.
  const credentialOptions =
    local && config.model === "entra-id" && isLoopbackUrl(config.authorityHost)
      ? withCa(options.credentialOptions, local.caCertPem)
      : options.credentialOptions;
  const sdkGateway = (client: CommunicationIdentityClient) =>
    new SdkIdentityGateway(client, {
      model: config.model,
      endpoint: config.endpoint,
      ...emulator,
      ...deadline,
    });

  switch (config.model) {
    case "connection-string":
      return {
        gateway: sdkGateway(
          new CommunicationIdentityClient(config.connectionString, clientOptions),
        ),
      };
    case "entra-id":
      return {
        gateway: sdkGateway(
          new CommunicationIdentityClient(
            config.endpoint,
            createEntraCredential(config, credentialOptions),
            clientOptions,
          ),
        ),
      };
    case "managed-identity":
      return {
        gateway: sdkGateway(
          new CommunicationIdentityClient(
            config.endpoint,
            createManagedIdentityCredential(config, options.credentialOptions),
            clientOptions,
          ),
        ),
      };
    case "hmac-rest":
      return {
        gateway: new HmacRestIdentityGateway({
          endpoint: config.endpoint,
          accessKey: config.accessKey,
          ...emulator,
          ...deadline,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      };
  }
}

function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Client options that trust `ca` in addition to what the caller passed. */
function withCa<T extends CommunicationIdentityClientOptions | TokenCredentialOptions>(
  clientOptions: T | undefined,
  ca: string,
): T {
  return {
    ...clientOptions,
    tlsOptions: { ...clientOptions?.tlsOptions, ca: clientOptions?.tlsOptions?.ca ?? ca },
  } as T;
}

async function loopbackEmulator(endpoint: string, timeoutMs = 1000) {
  const url = new URL(endpoint);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) return undefined;
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const info = await probeEmulator(url.hostname, port, timeoutMs);
  return info && new URL(info.endpoint).port === String(port) ? info : undefined;
}
