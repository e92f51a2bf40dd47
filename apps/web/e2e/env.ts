// What the end-to-end tests read from the environment (set by playwright.config.ts).
export const e2eEnv = {
  emulatorPort: Number(process.env.E2E_EMULATOR_PORT ?? 10_543),
  chromiumPath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium",
  /** The web server's JSON log of this run (LOG_FILE; e2e/log-scan.spec.ts reads it). */
  logFile: process.env.E2E_LOG_FILE ?? "",
  /** The SMTP catcher's port, and where it writes the mails it received (mail-catcher.ts). */
  smtpPort: Number(process.env.E2E_SMTP_PORT ?? 2526),
  mailDir: process.env.E2E_MAIL_DIR,
  /** Where the app's Edge check would send its ACS calls (playwright.config.ts). */
  edgeTrapPort: Number(process.env.E2E_EDGE_TRAP_PORT),
  /** PATH for child processes the tests start. */
  path: process.env.PATH ?? "",
};
