// Starts an emulator for a test (in memory, 127.0.0.1, port 0) and builds official SDK clients
// that trust its local CA through `tlsOptions.ca`.
import {
  CommunicationIdentityClient,
  type CommunicationIdentityClientOptions,
} from "@azure/communication-identity";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/index";

export type IdentityClientPolicy = NonNullable<
  CommunicationIdentityClientOptions["additionalPolicies"]
>[number];
export type PipelinePolicy = IdentityClientPolicy["policy"];

export interface TestEmulator extends RunningEmulator {
  /** Plain-HTTP base URL of the same port. */
  readonly httpEndpoint: string;
  /** An identity client over HTTPS (or `http: true` over plain HTTP with allowInsecureConnection). */
  identityClient(options?: {
    accessKey?: string;
    policies?: IdentityClientPolicy[];
    http?: boolean;
    apiVersion?: string;
  }): CommunicationIdentityClient;
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({
    host: "127.0.0.1",
    port: 0,
    inMemory: true,
    logLevel: "silent",
    ...options,
  });
  const httpEndpoint = emulator.endpoint.replace("https://", "http://");
  return {
    ...emulator,
    close: () => emulator.close(),
    httpEndpoint,
    identityClient(clientOptions = {}) {
      const endpoint = clientOptions.http ? httpEndpoint : emulator.endpoint;
      const key = clientOptions.accessKey ?? emulator.connectionString.split(";accesskey=")[1];
      const sdkOptions: CommunicationIdentityClientOptions & { apiVersion?: string } = {
        tlsOptions: { ca: emulator.caCertPem },
        allowInsecureConnection: clientOptions.http === true,
        additionalPolicies: clientOptions.policies,
        retryOptions: { maxRetries: 0 },
      };
      if (clientOptions.apiVersion) sdkOptions.apiVersion = clientOptions.apiVersion;
      return new CommunicationIdentityClient(`endpoint=${endpoint};accesskey=${key}`, sdkOptions);
    },
  };
}

/** Decodes a JWT's header and payload (no verification). */
export function decodeJwt(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header = "", payload = ""] = token.split(".");
  const decode = (part: string) =>
    JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  return { header: decode(header), payload: decode(payload) };
}
