// Environment → one resolved control-plane configuration (which ACS, which auth model), validated
// with zod refinements over the env object. Pure: no I/O, so every misconfiguration is testable
// and fails at start-up with one message naming the variables.
import { z } from "zod";

import type { ServerEnv } from "../env";
import type { AuthModel } from "./identity-gateway";
import type { ActualGateway } from "./models/model";
import type { ModelConfig } from "./models/index";
import { AUTH_MODEL_MODULES, modelOf } from "./models/index";
import { createSettingChecks } from "./setting-checks";

export const AUTH_MODELS: readonly AuthModel[] = AUTH_MODEL_MODULES.map((model) => model.name);

/** The env variables the control plane reads (a subset of ServerEnv, so tests can pass plain objects). */
export type ControlPlaneEnv = Pick<
  ServerEnv,
  | "ACS_CONNECTION_STRING"
  | "ACS_ENDPOINT"
  | "ACS_ACCESS_KEY"
  | "ACS_AUTH_MODEL"
  | "AZURE_TENANT_ID"
  | "AZURE_CLIENT_ID"
  | "AZURE_CLIENT_SECRET"
  | "AZURE_AUTHORITY_HOST"
  | "IDENTITY_ENDPOINT"
  | "IDENTITY_HEADER"
  | "ACS_EMULATOR_HOST"
  | "ACS_EMULATOR_PORT"
  | "ACS_EMULATOR_DATA_DIR"
  | "ACS_EMULATOR_IN_MEMORY"
  | "NODE_ENV"
>;

/** One model's resolved settings; `model` says which (see ./models/). */
export type ControlPlaneConfig = ModelConfig;

/** Start-up failure: the configuration names no usable, unambiguous ACS credential. */
export class ControlPlaneConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid ACS control-plane configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\n` +
        "See the configuration table in the README (ACS_AUTH_MODEL, ACS_CONNECTION_STRING, ACS_ENDPOINT, …).",
    );
    this.name = "ControlPlaneConfigError";
  }
}

type Problems = string[];

/** Which model the variables ask for, before checking that model's own requirements. */
function inferModel(env: ControlPlaneEnv, problems: Problems): AuthModel | undefined {
  if (env.ACS_AUTH_MODEL !== undefined) {
    const forced = AUTH_MODELS.find((m) => m === env.ACS_AUTH_MODEL);
    if (!forced) {
      problems.push(
        `ACS_AUTH_MODEL="${env.ACS_AUTH_MODEL}" is not one of ${AUTH_MODELS.join(", ")}.`,
      );
    }
    return forced;
  }
  const inferences = AUTH_MODEL_MODULES.flatMap((model) => {
    const inference = model.infer(env);
    return inference ? [{ model: model.name, ...inference }] : [];
  });
  const contradictions = inferences.flatMap((i) => ("problem" in i ? [i.problem] : []));
  if (contradictions.length > 0) {
    problems.push(...contradictions);
    return undefined;
  }
  // Only models that share ACS_ENDPOINT can be selected together; listed by variable name.
  const candidates = inferences
    .flatMap((i) => ("because" in i ? [{ model: i.model, because: i.because }] : []))
    .sort((a, b) => a.because.localeCompare(b.because));
  if (candidates.length > 1) {
    problems.push(
      `ACS_ENDPOINT is set with credentials of several models at once (${candidates.map((c) => `${c.because} → ${c.model}`).join("; ")}). Remove all but one, or choose with ACS_AUTH_MODEL.`,
    );
    return undefined;
  }
  const only = candidates[0];
  if (!only) {
    // Every other combination selects a model: this is an endpoint without a credential.
    problems.push(
      "ACS_ENDPOINT is set without a credential: set ACS_ACCESS_KEY (hmac-rest), AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET (entra-id), or ACS_AUTH_MODEL=managed-identity (on Azure), or use ACS_CONNECTION_STRING instead.",
    );
    return undefined;
  }
  return only.model;
}

function buildConfig(env: ControlPlaneEnv, problems: Problems): ControlPlaneConfig | undefined {
  const name = inferModel(env, problems);
  const model = AUTH_MODEL_MODULES.find((m) => m.name === name);
  return model?.validate(env, createSettingChecks(env, problems));
}

const envSchema = z
  .custom<ControlPlaneEnv>((value) => typeof value === "object" && value !== null)
  .transform((env, ctx) => {
    const problems: Problems = [];
    const config = buildConfig(env, problems);
    for (const message of problems) ctx.addIssue({ code: "custom", message });
    return config ?? z.NEVER;
  });

/** Resolves the configuration or throws ONE ControlPlaneConfigError listing every problem. */
export function resolveControlPlaneConfig(env: ControlPlaneEnv): ControlPlaneConfig {
  const result = envSchema.safeParse(env);
  if (!result.success)
    throw new ControlPlaneConfigError(result.error.issues.map((issue) => issue.message));
  return result.data;
}

/** The active model for this environment (pure; throws ControlPlaneConfigError when ambiguous or partial). */
export function selectAuthModel(env: ControlPlaneEnv): AuthModel {
  return resolveControlPlaneConfig(env).model;
}

/**
 * A log-safe summary: model, endpoint and non-secret identifiers. Never the access key, the
 * connection string (it holds the key), the client secret or the identity header.
 */
export function describeControlPlane(config: ControlPlaneConfig, actual?: ActualGateway): string {
  const line = modelOf(config).describe(config, actual);
  return config.model !== "emulator" && actual?.emulator ? `${line} [a local acs-emulator]` : line;
}
