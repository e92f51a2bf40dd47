// Run by instrumentation.ts before the server serves anything: a production server without a real ACS,
// PostgreSQL or AUTH_SECRET exits with one error naming the variables (acs-server's deployment policy
// plus the web app's own); one on development defaults (ACS_STACK_ALLOW_DEV_DEFAULTS) says so loudly.
import {
  checkDeployment,
  deploymentErrorMessage,
  devDefaultsWarning,
  probeEmulator,
  readServerEnv,
} from "@acs-stack/acs-server";
import { acsServerRuntimeEnv, isBuildPhase, missingProductionVariables } from "~/env";

export type StartupVerdict = { ok: true; warning?: string } | { ok: false; error: string };

export interface StartupInput {
  /** acs-server's raw variables (`acsServerRuntimeEnv()`). */
  acsVariables: Record<string, string | undefined>;
  /** The web app's own missing variables in production (`missingProductionVariables()`). */
  webProblems: readonly string[];
  /** `next build` is collecting pages: nothing is served, nothing is required. */
  building: boolean;
}

export async function startupVerdict(input: StartupInput): Promise<StartupVerdict> {
  if (input.building || input.acsVariables.NODE_ENV !== "production") return { ok: true };
  let acsEnv: ReturnType<typeof readServerEnv>;
  try {
    acsEnv = readServerEnv(input.acsVariables);
  } catch (error) {
    return { ok: false, error: deploymentErrorMessage([(error as Error).message]) };
  }
  const check = checkDeployment(acsEnv, { building: input.building });
  const problems = [...input.webProblems, ...check.problems];
  if (problems.length > 0) return { ok: false, error: deploymentErrorMessage(problems) };
  const emulator = check.devDefaults.emulator;
  // Said in the warning only: the emulator may come up after the app (ACS calls fail until it does).
  const answering = emulator
    ? (await probeEmulator(emulator.host, emulator.port, 1000)) !== undefined
    : undefined;
  const warning = devDefaultsWarning(check.devDefaults, answering);
  return warning ? { ok: true, warning } : { ok: true };
}

/** Exits the process (status 1) with the one error, or prints the dev-defaults warning. */
export async function enforceStartupPolicy(): Promise<void> {
  const verdict = await startupVerdict({
    acsVariables: acsServerRuntimeEnv(),
    webProblems: missingProductionVariables(),
    building: isBuildPhase(),
  });
  if (!verdict.ok) {
    console.error(verdict.error);
    process.exit(1);
  }
  if (verdict.warning) console.warn(verdict.warning);
}
