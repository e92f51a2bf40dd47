// A real acs-emulator in-process (HTTPS on a free port) and an SdkIdentityGateway around the official SDK.
import { startEmulator } from "@acs-stack/acs-emulator";
import type { RunningEmulator } from "@acs-stack/acs-emulator";
import { CommunicationIdentityClient } from "@azure/communication-identity";

import { SdkIdentityGateway } from "../../src/control-plane/sdk-identity-gateway";

export interface TestAcs {
  emulator: RunningEmulator;
  /** The official SDK client on the emulator, for checks that bypass our code. */
  identityClient: CommunicationIdentityClient;
  gateway: SdkIdentityGateway;
  close(): Promise<void>;
}

export function sdkGatewayFor(
  connectionString: string,
  emulator: RunningEmulator,
  options: { maxRetries?: number } = {},
): SdkIdentityGateway {
  const client = new CommunicationIdentityClient(connectionString, {
    tlsOptions: { ca: emulator.caCertPem },
    // Failures surface at once instead of after the SDK's exponential retries (unless asked for).
    retryOptions: { maxRetries: options.maxRetries ?? 0 },
  });
  return new SdkIdentityGateway(client, {
    model: "emulator",
    endpoint: emulator.endpoint,
    emulator: true,
    emulatorCaCertPem: emulator.caCertPem,
  });
}

export async function startTestAcs(): Promise<TestAcs> {
  const emulator = await startEmulator({ port: 0, inMemory: true, logLevel: "silent" });
  const identityClient = new CommunicationIdentityClient(emulator.connectionString, {
    tlsOptions: { ca: emulator.caCertPem },
  });
  return {
    emulator,
    identityClient,
    gateway: sdkGatewayFor(emulator.connectionString, emulator),
    close: () => emulator.close(),
  };
}

/** Status code of an SDK failure (RestError), or "ok". */
export async function statusOf(promise: Promise<unknown>): Promise<number | "ok"> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === "number") return status;
    throw error;
  }
}
