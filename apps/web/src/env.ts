// The only reader of process.env in apps/web. acs-server validates its own variables through
// readServerEnv(); this file declares the web app's and passes the rest through untouched.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { optionalString as optional } from "@acs-stack/config/env";
import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

/** A comma- or space-separated list; each entry must pass `check` (its message names the entry). */
const list = (check: (entry: string) => string | undefined) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      const entries = (value ?? "").split(/[\s,]+/).filter((entry) => entry !== "");
      for (const entry of entries) {
        const problem = check(entry);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }
      return entries;
    });

/** "true"/"false" (or 1/0); undefined when unset, so each rule picks its own default. */
const flag = () =>
  z
    .enum(["true", "false", "1", "0"], { message: 'Use "true" or "false".' })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true" || v === "1"));

/** `https://app.example.com` exactly as browsers send it in `Origin`: scheme, host, port; no path. */
function originProblem(entry: string): string | undefined {
  if (!URL.canParse(entry)) return `"${entry}" is not a URL.`;
  const url = new URL(entry);
  if (url.protocol !== "https:" && url.protocol !== "http:") return `"${entry}" must be http(s).`;
  if (url.origin !== entry.replace(/\/$/, ""))
    return `"${entry}" must be an origin (scheme://host[:port]), nothing more.`;
  return undefined;
}

/** A CSP host source for connect-src: an https/wss origin, the host may start with `*.`. */
function connectSourceProblem(entry: string): string | undefined {
  return /^(?:https|wss):\/\/(?:\*\.)?[a-z0-9.-]+(?::\d{1,5})?$/i.test(entry)
    ? undefined
    : `"${entry}" must be an https:// or wss:// origin (the host may start with "*.").`;
}

export const env = createEnv({
  server: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    /** Signs the session JWT. Required in production; generated once per checkout in dev/test. */
    AUTH_SECRET: optional(),
    AUTH_URL: optional(),
    AUTH_TRUST_HOST: optional(),
    /** Where the generated dev secret is kept (never committed: `.data/` is git-ignored). */
    AUTH_DEV_SECRET_FILE: z.string().default(".data/auth-secret"),
    AUTH_MICROSOFT_ENTRA_ID_ID: optional(),
    AUTH_MICROSOFT_ENTRA_ID_SECRET: optional(),
    /** `https://login.microsoftonline.com/<tenant>/v2.0`, or the emulator's `https://127.0.0.1:<port>/<tenant>/v2.0`. */
    AUTH_MICROSOFT_ENTRA_ID_ISSUER: optional(),
    /**
     * A PEM file of CA certificates trusted (besides the system's) for the issuer's HTTPS: discovery,
     * token and refresh requests. For the local emulator's Entra ID: its `<data dir>/ca.pem`.
     */
    AUTH_MICROSOFT_ENTRA_ID_CA_FILE: optional(),
    /** Ask Entra sign-ins for the Teams scopes, so the person can use a Teams identity (README). */
    AUTH_MICROSOFT_ENTRA_ID_TEAMS: flag(),
    AUTH_GITHUB_ID: optional(),
    AUTH_GITHUB_SECRET: optional(),
    /**
     * Origins besides the app's own (AUTH_URL) that may call /api/trpc from a browser, e.g. a second
     * public host name of the same app. Comma-separated; each one an origin such as https://app.example.com.
     */
    APP_ALLOWED_ORIGINS: list(originProblem),
    /**
     * Extra connect-src origins for the page's Content-Security-Policy, e.g. the realtime-notification
     * hosts that real ACS names in GET <endpoint>/chat/config/realTimeNotifications. Comma-separated.
     */
    APP_CSP_CONNECT_SRC: list(connectSourceProblem),
    // Where the browser's chat SDK connects (the CSP's connect-src). acs-server validates these same
    // variables (packages/acs-server/src/env.ts); the defaults here are its defaults.
    ACS_AUTH_MODEL: optional(),
    ACS_ENDPOINT: optional(),
    ACS_CONNECTION_STRING: optional(),
    ACS_EMULATOR_HOST: z.string().default("127.0.0.1"),
    ACS_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(10443),
    // --- Logs and traces (src/server/log.ts, src/server/telemetry.ts)
    /** pino level: fatal, error, warn, info, debug, trace or silent. */
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    /** Append the JSON log lines to this file instead of standard output (the e2e log scan reads it). */
    LOG_FILE: optional(),
    /** OTLP/HTTP base URL (e.g. http://collector:4318): traces are exported only when it is set. */
    OTEL_EXPORTER_OTLP_ENDPOINT: optional(),
    OTEL_SERVICE_NAME: z.string().default("acs-stack-web"),
    // Email-and-password accounts (README "Email verification"; rules in server/auth/account-policy.ts).
    /** Sign-up with email and password. Default: on in development, off in production. */
    AUTH_CREDENTIALS_SIGNUP: flag(),
    /** Development only: make new accounts confirm their email (production always does). */
    AUTH_REQUIRE_EMAIL_VERIFICATION: flag(),
    /** Where account mail goes, e.g. smtps://user:pass@smtp.example.com:465. Unset in dev: the console. */
    SMTP_URL: optional(),
    /** The sender of account mail. */
    EMAIL_FROM: z.string().default("acs-stack <no-reply@localhost>"),
    /** Sign-up / reset requests that may send mail, per client address per minute. */
    AUTH_MAIL_PER_CLIENT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
    /** Set by `next build`; nothing may be started or required while the build collects pages. */
    NEXT_PHASE: optional(),
  },
  client: {},
  experimental__runtimeEnv: {},
  emptyStringAsUndefined: true,
});

/** acs-server's variables, handed to its own validator (`readServerEnv`). */
export function acsServerRuntimeEnv(): Record<string, string | undefined> {
  return { ...process.env };
}

export const isBuildPhase = () => env.NEXT_PHASE === "phase-production-build";

let devSecret: string | undefined;

const MISSING_AUTH_SECRET =
  "AUTH_SECRET is not set. Generate one with `openssl rand -base64 32` and set it in the environment.";

type ProductionSettings = Pick<
  typeof env,
  "AUTH_SECRET" | "AUTH_URL" | "AUTH_CREDENTIALS_SIGNUP" | "SMTP_URL"
>;

/**
 * The web app's own variables a production server cannot start without (acs-server checks its own).
 * Open sign-up mails a confirmation link, so it needs SMTP and the public URL the links are built on.
 */
export function productionVariableProblems(settings: ProductionSettings): string[] {
  const problems = settings.AUTH_SECRET ? [] : [MISSING_AUTH_SECRET];
  if (settings.AUTH_CREDENTIALS_SIGNUP === true) {
    const missing = (["SMTP_URL", "AUTH_URL"] as const).filter((name) => !settings[name]);
    if (missing.length > 0)
      problems.push(
        `AUTH_CREDENTIALS_SIGNUP=true mails confirmation links: set ${missing.join(" and ")} too.`,
      );
  }
  return problems;
}

export function missingProductionVariables(): string[] {
  return productionVariableProblems(env);
}

/**
 * The session signing secret. Production must configure AUTH_SECRET; development and tests
 * generate one random secret, persisted under `.data/` so sessions survive restarts.
 */
export function authSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (env.NODE_ENV === "production" && !isBuildPhase()) throw new Error(MISSING_AUTH_SECRET);
  if (devSecret) return devSecret;
  const file = resolve(/*turbopackIgnore: true*/ env.AUTH_DEV_SECRET_FILE);
  try {
    devSecret = readFileSync(file, "utf8").trim();
  } catch {
    devSecret = randomBytes(32).toString("base64url");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, devSecret, { mode: 0o600 });
  }
  return devSecret;
}
