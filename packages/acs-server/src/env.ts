// The only reader of process.env in acs-server. Every variable is declared and validated here.
import { booleanFlag, createEnv, optionalString, z } from "@acs-stack/config/env";

export function readServerEnv(runtimeEnv: Record<string, string | undefined> = process.env) {
  return createEnv({
    server: {
      // --- Control plane: which ACS and how we authenticate to it (see control-plane/config.ts)
      ACS_CONNECTION_STRING: optionalString(),
      ACS_ENDPOINT: optionalString(),
      ACS_ACCESS_KEY: optionalString(),
      /** Force a model instead of inferring it: connection-string | entra-id | managed-identity | hmac-rest | emulator */
      ACS_AUTH_MODEL: optionalString(),
      AZURE_TENANT_ID: optionalString(),
      AZURE_CLIENT_ID: optionalString(),
      AZURE_CLIENT_SECRET: optionalString(),
      /** Authority for Entra ID (default https://login.microsoftonline.com); the emulator's local authority in tests. */
      AZURE_AUTHORITY_HOST: optionalString(),
      /** App Service / Container Apps managed identity protocol. */
      IDENTITY_ENDPOINT: optionalString(),
      IDENTITY_HEADER: optionalString(),
      // --- Emulator (the default when no ACS is configured; started in-process outside production)
      ACS_EMULATOR_HOST: z.string().default("127.0.0.1"),
      ACS_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(10443),
      ACS_EMULATOR_DATA_DIR: z.string().default(".data/acs-emulator"),
      ACS_EMULATOR_IN_MEMORY: booleanFlag(false),
      // --- Database: PostgreSQL when DATABASE_URL is set, PGlite otherwise
      DATABASE_URL: optionalString(),
      PGLITE_DATA_DIR: z.string().default(".data/pglite"),
      // --- Database connections (README "Database connections"; src/db/connections.ts)
      /** Direct URL (not through PgBouncer) for LISTEN, advisory locks and migrations; Neon/Vercel naming. Default: DATABASE_URL. */
      DATABASE_URL_UNPOOLED: optionalString(),
      /** password: the URL's own (or none); entra: a Microsoft Entra token of the app's identity, per new connection. */
      DATABASE_AUTH: z.enum(["password", "entra"]).default("password"),
      /** Connections of the data pool, and of the advisory-lock pool (each); plus one LISTEN connection. */
      DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
      // --- Token policy
      ACS_DEFAULT_SCOPES: z.string().default("chat,voip,presence"),
      ACS_TOKEN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
      /** ACS identities one user may have created (delete + re-create) per window. */
      ACS_IDENTITY_CREATIONS_PER_WINDOW: z.coerce.number().int().min(1).default(3),
      ACS_IDENTITY_CREATION_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
      // --- Presence: offline after this long without a heartbeat; how often each instance sweeps (e2e may shorten both)
      ACS_PRESENCE_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
      ACS_PRESENCE_SWEEP_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
      // --- Presence without long-lived processes (Vercel): while watch streams are open, how often an
      // instance checks LISTEN and polls when it is unavailable; streams end after WATCH_MAX (0: never)
      // and the client resubscribes — keep it below the host's function time limit (Vercel: 300 s).
      ACS_PRESENCE_POLL_SECONDS: z.coerce.number().int().min(1).max(60).default(5),
      ACS_PRESENCE_WATCH_MAX_SECONDS: z.coerce.number().int().min(0).max(86_400).default(240),
      // --- Per-user call limits (per minute, shared by every instance through the DB)
      ACS_DIRECTORY_SEARCH_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
      ACS_DIRECTORY_ADD_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
      ACS_PRESENCE_SET_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
      /** Default: four times the heartbeat pace the server asks for (10 for the 60 s time-out). */
      ACS_PRESENCE_HEARTBEAT_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).optional(),
      // --- Runtime
      NODE_ENV: z.string().default("development"),
      /**
       * Lets a production server (NODE_ENV=production) run on the development defaults: PGlite and an
       * emulator that is already running at ACS_EMULATOR_HOST:PORT. For demos and previews only.
       */
      ACS_STACK_ALLOW_DEV_DEFAULTS: booleanFlag(false),
    },
    runtimeEnv,
    emptyStringAsUndefined: true,
    // One error naming each bad variable (the default only logs them and throws a generic message).
    onValidationError: (issues) => {
      const named = issues.map((issue) => {
        const name = issue.path?.map((p) => (typeof p === "object" ? p.key : p)).join(".");
        return `${name ?? "?"}: ${issue.message}`;
      });
      throw new Error(`Invalid environment variables: ${named.join("; ")}`);
    },
  });
}

export type ServerEnv = ReturnType<typeof readServerEnv>;

/**
 * Whether this is a production run (errors then carry no stack). Read on its own, at module load of
 * trpc.ts, so a bad unrelated variable does not fail the import.
 */
export function isProduction(
  runtimeEnv: Record<string, string | undefined> = process.env,
): boolean {
  return runtimeEnv.NODE_ENV === "production";
}
