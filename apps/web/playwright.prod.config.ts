// The production smoke suite: the deployment's real shape (prod/stack.ts) instead of `next start` on
// PGlite. Needs `pnpm build` first (the standalone output). Its own report, counted by
// scripts/sum-reports.mjs.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunchOptions } from "./e2e/chromium";
import { prodEnv } from "./prod/env";

// The SMTP catcher (e2e/mail-catcher.ts) that the servers mail their confirmation links to; its own
// port, apart from the browser suite's (2526). Set once here, inherited by the workers.
process.env.E2E_SMTP_PORT ??= String(prodEnv.smtpPort);
process.env.E2E_MAIL_DIR ??= mkdtempSync(join(tmpdir(), "acs-web-prod-mail-"));

export default defineConfig({
  testDir: ".",
  // The standalone output may carry copies of the specs; only the sources count.
  testIgnore: ["**/.next/**", "**/node_modules/**"],
  globalSetup: "./prod/global-setup.ts",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: ".reports/playwright-prod.json" }]],
  outputDir: "test-results/prod",
  use: {
    // Next 16 normalises 127.0.0.1 to localhost; next-auth's CSRF cookie then needs localhost.
    baseURL: `http://localhost:${prodEnv.appPort}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
  webServer: {
    command: "pnpm exec tsx e2e/mail-catcher.ts",
    port: Number(process.env.E2E_SMTP_PORT),
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: "ignore",
    stderr: "pipe",
    env: { E2E_SMTP_PORT: process.env.E2E_SMTP_PORT, E2E_MAIL_DIR: process.env.E2E_MAIL_DIR },
  },
  projects: [
    {
      // The browser suite's two-person chat, unchanged, against server.js + PostgreSQL + ACS.
      name: "chat",
      testMatch: "e2e/chat.spec.ts",
      grep: /two people chat/,
      // Its many steps take ~45 s on two idle cores; leave room for a busy CI machine.
      timeout: 180_000,
      use: { ...devices["Desktop Chrome"] },
    },
    { name: "production", testMatch: "prod/**/*.spec.ts", use: { ...devices["Desktop Chrome"] } },
  ],
});
