// The only place this package reads the environment.
import { z } from "zod";

const LOG_LEVELS = ["silent", "error", "info", "debug"] as const;

const emulatorEnvSchema = z.object({
  ACS_EMULATOR_LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
});

export type EmulatorEnv = z.infer<typeof emulatorEnvSchema>;

export function readEmulatorEnv(
  source: Record<string, string | undefined> = process.env,
): EmulatorEnv {
  return emulatorEnvSchema.parse({
    ACS_EMULATOR_LOG_LEVEL: source.ACS_EMULATOR_LOG_LEVEL || undefined,
  });
}
