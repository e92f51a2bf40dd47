// The auth models, one module each, in the order the README and ACS_AUTH_MODEL's error list them.
// Adding a model: a module in this folder exporting { infer, validate, describe, create }, then one
// entry here (and its name in AuthModel, src/control-plane/identity-gateway.ts).
import type { AuthModel } from "../identity-gateway";
import { connectionStringModel } from "./connection-string";
import type { ConnectionStringConfig } from "./connection-string";
import { emulatorModel } from "./emulator";
import type { EmulatorConfig } from "./emulator";
import { entraIdModel } from "./entra-id";
import type { EntraIdConfig } from "./entra-id";
import { hmacRestModel } from "./hmac-rest";
import type { HmacRestConfig } from "./hmac-rest";
import { managedIdentityModel } from "./managed-identity";
import type { ManagedIdentityConfig } from "./managed-identity";
import type { AuthModelModule } from "./model";

/** The resolved configuration of one model. */
export type ModelConfig =
  ConnectionStringConfig | EntraIdConfig | ManagedIdentityConfig | HmacRestConfig | EmulatorConfig;

/** Any model, seen through the configuration type of all of them (see modelOf). */
export type AnyAuthModel = AuthModelModule<AuthModel, ModelConfig>;

export const AUTH_MODEL_MODULES = [
  connectionStringModel,
  entraIdModel,
  managedIdentityModel,
  hmacRestModel,
  emulatorModel,
] as const;

/** The module of `config`'s model: each module accepts exactly the configuration it validated. */
export function modelOf(config: ModelConfig): AnyAuthModel {
  const found = AUTH_MODEL_MODULES.find((model) => model.name === config.model);
  if (!found) throw new Error(`No auth model named ${config.model}.`);
  return found;
}
