// Whether this server may start: a production server (NODE_ENV=production) needs a real ACS and
// PostgreSQL, never the development defaults (the emulator, PGlite) unless the operator opts in with
// ACS_STACK_ALLOW_DEV_DEFAULTS=true. Pure: the host prints the problems and exits before serving.
import type { ControlPlaneEnv } from "./control-plane/config";
import { ControlPlaneConfigError, resolveControlPlaneConfig } from "./control-plane/config";
import type { ServerEnv } from "./env";

export type DeploymentEnv = ControlPlaneEnv &
  Pick<ServerEnv, "DATABASE_URL" | "PGLITE_DATA_DIR" | "ACS_STACK_ALLOW_DEV_DEFAULTS">;

export interface DeploymentCheck {
  /** Why this server must not start, each naming the variables to set; empty → it may start. */
  problems: string[];
  /**
   * The development defaults a production server runs on because ACS_STACK_ALLOW_DEV_DEFAULTS=true
   * allows them; empty outside production and when none is used.
   */
  devDefaults: DevDefaults;
}

export interface DevDefaults {
  /** PGlite's data directory, in place of PostgreSQL. */
  pglite?: string;
  /** The emulator that must already be running, in place of ACS. */
  emulator?: { host: string; port: number };
}

export const MISSING_DATABASE =
  "DATABASE_URL is not set: a production server needs PostgreSQL (postgres://user:password@host:5432/db); PGlite is for development.";

export const MISSING_ACS =
  "No Azure Communication Services configured: set ACS_CONNECTION_STRING, or ACS_ENDPOINT with its " +
  "credential (ACS_ACCESS_KEY for hmac-rest; AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET " +
  "for entra-id; ACS_AUTH_MODEL=managed-identity on Azure). The emulator is for development.";

/**
 * Checks the deployment rules for `env`. `building`: the production build is running (Next.js's
 * `phase-production-build`), which starts nothing and so needs no configuration.
 */
export function checkDeployment(
  env: DeploymentEnv,
  options: { building?: boolean } = {},
): DeploymentCheck {
  if (env.NODE_ENV !== "production" || options.building) return { problems: [], devDefaults: {} };
  const allowDevDefaults = env.ACS_STACK_ALLOW_DEV_DEFAULTS;
  const problems: string[] = [];
  const devDefaults: DevDefaults = {};

  let model: string | undefined;
  try {
    model = resolveControlPlaneConfig(env).model;
  } catch (error) {
    if (!(error instanceof ControlPlaneConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (model === "emulator") {
    if (allowDevDefaults)
      devDefaults.emulator = { host: env.ACS_EMULATOR_HOST, port: env.ACS_EMULATOR_PORT };
    else problems.push(MISSING_ACS);
  }

  if (env.DATABASE_URL === undefined) {
    if (allowDevDefaults) devDefaults.pglite = env.PGLITE_DATA_DIR;
    else problems.push(MISSING_DATABASE);
  }
  return { problems, devDefaults };
}

/** The one error a production server prints before it exits (`problems` may add the host's own). */
export function deploymentErrorMessage(problems: readonly string[]): string {
  const devDefaultsWouldDo = problems.some((p) => p === MISSING_ACS || p === MISSING_DATABASE);
  return (
    "acs-stack cannot start in production (NODE_ENV=production):\n" +
    problems.map((problem) => `  - ${problem}`).join("\n") +
    "\nSee the README's Production start-up section" +
    (devDefaultsWouldDo
      ? "; for a demo on PGlite and an emulator that is already running, set ACS_STACK_ALLOW_DEV_DEFAULTS=true."
      : ".")
  );
}

/**
 * The one loud line a production server on development defaults prints at start-up, or undefined
 * when it uses none. `emulatorAnswering`: what a probe of the emulator found just now.
 */
export function devDefaultsWarning(
  devDefaults: DevDefaults,
  emulatorAnswering?: boolean,
): string | undefined {
  const parts: string[] = [];
  if (devDefaults.pglite !== undefined)
    parts.push(`PGlite in ${devDefaults.pglite} (no PostgreSQL)`);
  if (devDefaults.emulator) {
    const { host, port } = devDefaults.emulator;
    const state =
      emulatorAnswering === undefined
        ? ""
        : emulatorAnswering
          ? ", answering"
          : ", NOT answering: ACS calls fail until it runs";
    parts.push(`the ACS emulator at ${host}:${port} (never started by this server${state})`);
  }
  if (parts.length === 0) return undefined;
  return `WARN ACS_STACK_ALLOW_DEV_DEFAULTS=true: this production server runs on development defaults: ${parts.join(" and ")}. Not for real users or real data.`;
}
