// No ACS configured: the local acs-emulator (reused when one runs, started in-process in development).
import type { AuthModelModule } from "./model";

export interface EmulatorConfig {
  model: "emulator";
  host: string;
  port: number;
  dataDir: string;
  inMemory: boolean;
  /** False in production: only an emulator that is already running is used, never one started here. */
  startInProcess: boolean;
}

export const emulatorModel: AuthModelModule<"emulator", EmulatorConfig> = {
  name: "emulator",

  infer(env) {
    const configured =
      env.ACS_CONNECTION_STRING !== undefined ||
      env.ACS_ENDPOINT !== undefined ||
      env.ACS_ACCESS_KEY !== undefined;
    return configured ? undefined : { because: "no ACS configured" };
  },

  validate: (env) => ({
    model: "emulator",
    host: env.ACS_EMULATOR_HOST,
    port: env.ACS_EMULATOR_PORT,
    dataDir: env.ACS_EMULATOR_DATA_DIR,
    inMemory: env.ACS_EMULATOR_IN_MEMORY,
    startInProcess: env.NODE_ENV !== "production",
  }),

  describe(config, actual) {
    const where = actual?.endpoint ?? `https://${config.host}:${config.port}/`;
    const how = actual
      ? actual.reused
        ? "reused running emulator"
        : "started in-process"
      : config.startInProcess
        ? "start or reuse"
        : "reuse only";
    const storage = config.inMemory ? "in memory" : `data dir ${config.dataDir}`;
    return `ACS control plane: model=emulator endpoint=${where} (${how}, ${storage})`;
  },

  create: (config, runtime) => runtime.emulatorGateway(config),
};
