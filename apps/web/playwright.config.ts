import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@acs-stack/config/free-port";
import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunchOptions } from "./e2e/chromium";
import { E2E_ENTRA, entraIssuer } from "./e2e/entra";

const isCI = !!process.env.CI;
/** A private emulator for the run, so a developer's running emulator (port 10443) is never touched. */
const EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT ?? 10_543);
/** E2E_APP_PORT lets two checkouts run their browser tests at once. */
const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3000);
/** The emulator's documented default primary key (public, local-only; see packages/acs-emulator/README.md). */
const EMULATOR_PRIMARY_KEY =
  "jBc8DzyK5VPQAQYz+VGESWVKNCfkzzwRWfStlaZrPALBAtxVoTN3jAiLzZdzVTnShH7R0t9TBIHduj6Ihn0Qsw==";

// Fresh state per run: a new PGlite data dir (config files are evaluated once per process; only the
// runner's copy starts the servers).
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), "acs-web-e2e-"));
process.env.E2E_DATA_DIR = dataDir;
/** The web server's JSON log lines, scanned for secrets after the run (e2e/log-scan.teardown.ts). */
const logFile = join(dataDir, "server.log");
process.env.E2E_LOG_FILE = logFile;
/** The SMTP catcher (e2e/mail-catcher.ts): the app mails it, the tests read what it received. */
const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 2526);
process.env.E2E_MAIL_DIR ??= join(dataDir, "mail");
/**
 * The ACS the Edge check is configured with: a free port (chosen once, inherited by the workers) that
 * e2e/edge-check.spec.ts listens on, to catch any control-plane call the production server must not make.
 */
process.env.E2E_EDGE_TRAP_PORT ??= String(await freePort());
const EDGE_TRAP_PORT = Number(process.env.E2E_EDGE_TRAP_PORT);
/**
 * The emulator keeps its certificates here (not --in-memory): the app trusts its CA for the local
 * Entra ID through AUTH_MICROSOFT_ENTRA_ID_CA_FILE (e2e/entra-sign-in.spec.ts).
 */
const emulatorDataDir = join(dataDir, "emulator");
const { user: entraUser } = E2E_ENTRA;
const entraArgs = [
  `--entra-principal ${E2E_ENTRA.clientId}:${E2E_ENTRA.clientSecret}`,
  `--entra-tenant ${E2E_ENTRA.tenantId}`,
  `--entra-user "${entraUser.userPrincipalName}:${entraUser.password}:${entraUser.displayName}"`,
].join(" ");

export default defineConfig({
  testDir: "./e2e",
  // Every sign-up now confirms its email through the mailed link (one more page and password check
  // per person), which pushed the longest multi-person specs past 90 s on a busy machine.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: ".reports/playwright.json" }]],
  outputDir: "test-results",
  use: {
    // Next 16 normalises 127.0.0.1 to localhost; next-auth's CSRF cookie then needs localhost.
    baseURL: `http://localhost:${APP_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  // After every spec: the server log of the run holds only JSON lines and no secret (log-scan.ts).
  globalTeardown: "./e2e/log-scan.teardown.ts",
  webServer: [
    {
      command: `node ../../packages/acs-emulator/bin/acs-emulator.mjs start --data-dir ${emulatorDataDir} --port ${EMULATOR_PORT} --log-level error ${entraArgs}`,
      url: `http://127.0.0.1:${EMULATOR_PORT}/emulator/info`,
      // E2E_REUSE_SERVER=1: run against servers you started (e.g. `next dev`), see README.
      reuseExistingServer: !isCI && !!process.env.E2E_REUSE_SERVER,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: "pnpm exec tsx e2e/mail-catcher.ts",
      port: SMTP_PORT,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
      env: { E2E_SMTP_PORT: String(SMTP_PORT), E2E_MAIL_DIR: process.env.E2E_MAIL_DIR },
    },
    {
      command: `pnpm exec next start --hostname 127.0.0.1 --port ${APP_PORT}`,
      // Ready once the database is open and migrated.
      url: `http://localhost:${APP_PORT}/api/health`,
      reuseExistingServer: !isCI && !!process.env.E2E_REUSE_SERVER,
      timeout: 180_000,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        NODE_ENV: "production",
        // A test-only secret: never used outside this run.
        AUTH_SECRET: "e2e-only-secret-not-for-production-0123456789",
        AUTH_URL: `http://localhost:${APP_PORT}`,
        PGLITE_DATA_DIR: join(dataDir, "pglite"),
        ACS_EMULATOR_HOST: "127.0.0.1",
        ACS_EMULATOR_PORT: String(EMULATOR_PORT),
        ACS_EMULATOR_IN_MEMORY: "1",
        // A production server on PGlite and the emulator started above (the one opt-in; it warns).
        ACS_STACK_ALLOW_DEV_DEFAULTS: "true",
        NEXT_TELEMETRY_DISABLED: "1",
        LOG_FILE: logFile,
        LOG_LEVEL: "info",
        // Sign-up as production runs it: open, and confirmed through a link mailed over real SMTP.
        AUTH_CREDENTIALS_SIGNUP: "true",
        SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
        EMAIL_FROM: "acs-stack e2e <no-reply@example.test>",
        // Every test signs up from this one machine; the limit itself is tested in acs-server.
        AUTH_MAIL_PER_CLIENT_PER_MINUTE: "1000",
        // "Sign in with Microsoft Entra ID" against the emulator's local Entra ID, with Teams users.
        AUTH_MICROSOFT_ENTRA_ID_ID: E2E_ENTRA.clientId,
        AUTH_MICROSOFT_ENTRA_ID_SECRET: E2E_ENTRA.clientSecret,
        AUTH_MICROSOFT_ENTRA_ID_ISSUER: entraIssuer(EMULATOR_PORT),
        AUTH_MICROSOFT_ENTRA_ID_CA_FILE: join(emulatorDataDir, "ca.pem"),
        AUTH_MICROSOFT_ENTRA_ID_TEAMS: "true",
        // The Edge check, enabled and configured: production must still answer 404 and call nothing
        // (e2e/edge-check.spec.ts listens on the trap port). The rest of the app keeps the emulator.
        ACS_EDGE_CHECK_ENABLED: "1",
        EDGE_CHECK_ACS_ENDPOINT: `http://127.0.0.1:${EDGE_TRAP_PORT}/`,
        EDGE_CHECK_ACS_ACCESS_KEY: EMULATOR_PRIMARY_KEY,
        // Presence goes offline 10 s after the last heartbeat, swept every 2 s (presence e2e).
        ACS_PRESENCE_TIMEOUT_SECONDS: "10",
        ACS_PRESENCE_SWEEP_SECONDS: "2",
        // Watch streams end after 4 s and the page resubscribes (presence-resume e2e).
        ACS_PRESENCE_WATCH_MAX_SECONDS: "4",
      },
    },
  ],
});
