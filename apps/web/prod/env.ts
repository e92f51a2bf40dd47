// What the production smoke suite and the load bench read from the environment. The ports default to
// values apart from the other browser tests' (3000, 10543); E2E_PROD_* lets two checkouts run at once.
export const prodEnv = {
  /** The first `node server.js` (the browser tests' baseURL). */
  appPort: Number(process.env.E2E_PROD_APP_PORT ?? 3100),
  /** The second instance on the same PostgreSQL. */
  secondAppPort: Number(process.env.E2E_PROD_SECOND_APP_PORT ?? 3101),
  /** Servers the start-up checks launch and stop themselves. */
  checkPort: Number(process.env.E2E_PROD_CHECK_PORT ?? 3102),
  /** The SMTP catcher the servers send their account mail to (e2e/mail-catcher.ts). */
  smtpPort: Number(process.env.E2E_PROD_SMTP_PORT ?? 2527),
  /** The emulator standing in for a real ACS resource. */
  emulatorPort: Number(process.env.E2E_PROD_EMULATOR_PORT ?? 10_544),
  /** Where the global set-up hands the running stack to the test workers (JSON, see stack.ts). */
  stack: process.env.E2E_PROD_STACK,
  path: process.env.PATH ?? "",
};

/** Hands the running stack from the global set-up to the workers (they start after it, with its env). */
export function publishStack(json: string): void {
  process.env.E2E_PROD_STACK = json;
}
