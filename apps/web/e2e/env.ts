// What the end-to-end tests read from the environment (set by playwright.config.ts).
export const e2eEnv = {
  emulatorPort: Number(process.env.E2E_EMULATOR_PORT ?? 10_543),
  /** Where the app's Edge check would send its ACS calls (playwright.config.ts). */
  edgeTrapPort: Number(process.env.E2E_EDGE_TRAP_PORT),
  /** PATH for child processes the tests start. */
  path: process.env.PATH ?? "",
};
