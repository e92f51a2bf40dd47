// The Node.js building blocks the auth models assemble their gateways from: the Identity SDK, the
// @azure/identity credentials, the emulator. A gateway aimed at a loopback endpoint talks to a
// developer's running emulator (real ACS is never on loopback): it is flagged for the client (its
// loopback handling) and the emulator's local CA is trusted.
import { isLoopbackUrl } from "@acs-stack/config/loopback";
import type { CommunicationIdentityClientOptions } from "@azure/communication-identity";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import type { TokenCredentialOptions } from "@azure/identity";

import { createEntraCredential, createManagedIdentityCredential } from "./credentials";
import { probeEmulator, startOrReuseEmulator } from "./emulator";
import { HmacRestIdentityGateway } from "./hmac-rest-gateway";
import type { ControlPlaneOptions } from "./index";
import type { GatewayRuntime, LocalEmulator } from "./models/model";
import { SdkIdentityGateway } from "./sdk-identity-gateway";

export function createNodeGatewayRuntime(options: ControlPlaneOptions): GatewayRuntime {
  const deadline = options.callTimeoutMs !== undefined ? { timeoutMs: options.callTimeoutMs } : {};
  const emulatorFlags = (local: LocalEmulator | undefined) => ({
    emulator: local !== undefined,
    ...(local ? { emulatorCaCertPem: local.caCertPem } : {}),
  });

  return {
    localEmulator: (endpoint) => loopbackEmulator(endpoint, options.probeTimeoutMs),

    sdkGateway({ model, endpoint, local, auth }) {
      const clientOptions = local
        ? withCa(options.clientOptions, local.caCertPem)
        : (options.clientOptions ?? {});
      const client =
        "connectionString" in auth
          ? new CommunicationIdentityClient(auth.connectionString, clientOptions)
          : new CommunicationIdentityClient(endpoint, auth.credential, clientOptions);
      return new SdkIdentityGateway(client, {
        model,
        endpoint,
        ...emulatorFlags(local),
        ...deadline,
      });
    },

    hmacRestGateway: ({ endpoint, accessKey, local }) =>
      new HmacRestIdentityGateway({
        endpoint,
        accessKey,
        ...emulatorFlags(local),
        ...deadline,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),

    // The emulator's local Entra ID (an authority on loopback) serves its tokens under the same CA.
    entraCredential: (config, local) =>
      createEntraCredential(
        config,
        local && isLoopbackUrl(config.authorityHost)
          ? withCa(options.credentialOptions, local.caCertPem)
          : options.credentialOptions,
      ),

    managedIdentityCredential: (config) =>
      createManagedIdentityCredential(config, options.credentialOptions),

    async emulatorGateway(config) {
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
    },
  };
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
  if (!isLoopbackUrl(endpoint)) return undefined;
  const url = new URL(endpoint);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const info = await probeEmulator(url.hostname, port, timeoutMs);
  return info && new URL(info.endpoint).port === String(port) ? info : undefined;
}
