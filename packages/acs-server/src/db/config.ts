// Environment → DatabaseOptions: PGlite, or PostgreSQL with its unpooled URL, pool size and (with
// DATABASE_AUTH=entra) a Microsoft Entra token as the password of every new connection.
import type { TokenCredential } from "@azure/core-auth";

import type { ServerEnv } from "../env";
import { entraTokenPassword } from "./entra-password";
import type { DatabaseOptions } from "./index";

export type DatabaseEnv = Pick<
  ServerEnv,
  | "DATABASE_URL"
  | "DATABASE_URL_UNPOOLED"
  | "DATABASE_AUTH"
  | "DATABASE_POOL_MAX"
  | "PGLITE_DATA_DIR"
>;

/** Start-up failure: the database variables contradict each other. */
export class DatabaseConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatabaseConfigError";
  }
}

export interface DatabaseEnvOverrides {
  /** The identity that signs in to PostgreSQL with DATABASE_AUTH=entra. Default: DefaultAzureCredential. */
  credential?: TokenCredential;
}

export function databaseOptionsFromEnv(
  env: DatabaseEnv,
  overrides: DatabaseEnvOverrides = {},
): DatabaseOptions {
  if (!env.DATABASE_URL) {
    if (env.DATABASE_AUTH === "entra")
      throw new DatabaseConfigError("DATABASE_AUTH=entra needs DATABASE_URL (PostgreSQL).");
    return { dataDir: env.PGLITE_DATA_DIR };
  }
  const options: DatabaseOptions = {
    url: env.DATABASE_URL,
    poolMax: env.DATABASE_POOL_MAX,
    ...(env.DATABASE_URL_UNPOOLED ? { unpooledUrl: env.DATABASE_URL_UNPOOLED } : {}),
  };
  if (env.DATABASE_AUTH !== "entra") return options;
  for (const name of ["DATABASE_URL", "DATABASE_URL_UNPOOLED"] as const) {
    const url = env[name];
    if (url && new URL(url).password)
      throw new DatabaseConfigError(
        `${name} carries a password, but DATABASE_AUTH=entra signs in with a Microsoft Entra token: remove the password from the URL.`,
      );
  }
  return {
    ...options,
    password: entraTokenPassword(overrides.credential ?? lazyDefaultCredential()),
  };
}

/** DefaultAzureCredential (managed identity in Azure, developer sign-in locally), loaded on first use. */
function lazyDefaultCredential(): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      credential ??= import("@azure/identity").then(
        ({ DefaultAzureCredential }) => new DefaultAzureCredential(),
      );
      return (await credential).getToken(scopes, options);
    },
  };
}
