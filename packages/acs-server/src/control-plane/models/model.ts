// What every auth model provides (one module per model in this folder, listed in ./index.ts).
// Type-only imports: the Edge entry point loads this folder, so nothing here may pull in the Azure
// SDKs, the emulator or node: modules; the Node-only pieces arrive through GatewayRuntime.
import type { TokenCredential } from "@azure/core-auth";

import type { ControlPlaneEnv } from "../config";
import type { AuthModel, IdentityGateway } from "../identity-gateway";
import type { EmulatorConfig } from "./emulator";
import type { EntraIdConfig } from "./entra-id";
import type { ManagedIdentityConfig } from "./managed-identity";

/** Without ACS_AUTH_MODEL: the variables that select a model, or why the environment is contradictory. */
export type Inference = { because: string } | { problem: string };

/** Validators shared by the models; each records its problem and returns undefined (or false). */
export interface SettingChecks {
  /** Records a problem with the configuration. */
  problem(message: string): void;
  /** An ACS endpoint as the Identity SDK accepts it: http(s), a host, no path; https unless loopback. */
  endpoint(value: string, variable: string, requireHttps: boolean): string | undefined;
  /** ACS_ENDPOINT, which `model` requires. */
  requireEndpoint(model: AuthModel, requireHttps: boolean): string | undefined;
  /** A base64 access key. */
  accessKey(value: string, variable: string): boolean;
  /** How many problems have been recorded so far (some models give up after any). */
  readonly count: number;
}

/** What the log line says about the gateway that was actually built. */
export interface ActualGateway {
  endpoint: string;
  reused?: boolean;
  emulator?: boolean;
}

/** A developer's emulator running behind a loopback endpoint. */
export interface LocalEmulator {
  caCertPem: string;
}

/** A built gateway; `reused` when it talks to an emulator another process runs. */
export interface CreatedGateway {
  gateway: IdentityGateway;
  reused?: boolean;
}

/** The building blocks of the Node.js runtime (src/control-plane/node-runtime.ts). */
export interface GatewayRuntime {
  /** The running emulator behind `endpoint` when it is on loopback (real ACS never is). */
  localEmulator(endpoint: string): Promise<LocalEmulator | undefined>;
  /** The Identity SDK with a connection string, or with an endpoint and a token credential. */
  sdkGateway(options: {
    model: AuthModel;
    endpoint: string;
    local: LocalEmulator | undefined;
    auth: { connectionString: string } | { credential: TokenCredential };
  }): IdentityGateway;
  /** HMAC-signed REST calls with the resource's access key. */
  hmacRestGateway(options: {
    endpoint: string;
    accessKey: string;
    local: LocalEmulator | undefined;
  }): IdentityGateway;
  /** A service principal's credential; trusts `local`'s CA when the authority is that emulator's. */
  entraCredential(config: EntraIdConfig, local: LocalEmulator | undefined): TokenCredential;
  managedIdentityCredential(config: ManagedIdentityConfig): TokenCredential;
  /** Reuses a running emulator or starts one in-process. */
  emulatorGateway(config: EmulatorConfig): Promise<CreatedGateway>;
}

export interface AuthModelModule<Name extends AuthModel, Config extends { model: Name }> {
  readonly name: Name;
  /** Without ACS_AUTH_MODEL: whether these variables select this model (undefined: they do not). */
  infer(env: ControlPlaneEnv): Inference | undefined;
  /** This model's settings from `env`, or undefined after recording every problem in `checks`. */
  validate(env: ControlPlaneEnv, checks: SettingChecks): Config | undefined;
  /** The log-safe one-line description: never a key, secret, connection string or identity header. */
  describe(config: Config, actual?: ActualGateway): string;
  /** The gateway on Node.js. */
  create(config: Config, runtime: GatewayRuntime): Promise<CreatedGateway>;
  /** The endpoint and key when the model can sign its own requests (all the Edge runtime can do). */
  hmacKey?(config: Config): { endpoint: string; accessKey: string };
}
