// What the end-to-end tests read from the environment (set by playwright.config.ts). Getters, read
// when used: the config imports this module (through chromium.ts) before it sets the variables.
export const e2eEnv = {
  get emulatorPort() {
    return Number(process.env.E2E_EMULATOR_PORT ?? 10_543);
  },
  get chromiumPath() {
    return process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium";
  },
  /** The web server's JSON log of this run (LOG_FILE; e2e/log-scan.spec.ts reads it). */
  get logFile() {
    return process.env.E2E_LOG_FILE ?? "";
  },
  /** Run against servers started by hand (README), which may log elsewhere. */
  get reuseServer() {
    return !!process.env.E2E_REUSE_SERVER;
  },
  /** The SMTP catcher's port, and where it writes the mails it received (mail-catcher.ts). */
  get smtpPort() {
    return Number(process.env.E2E_SMTP_PORT ?? 2526);
  },
  get mailDir() {
    return process.env.E2E_MAIL_DIR;
  },
  /** Where the app's Edge check would send its ACS calls (playwright.config.ts). */
  get edgeTrapPort() {
    return Number(process.env.E2E_EDGE_TRAP_PORT);
  },
  /** PATH for child processes the tests start. */
  get path() {
    return process.env.PATH ?? "";
  },
};
