import "server-only";
// The app's one database (PGlite by default, PostgreSQL with DATABASE_URL), shared by sign-in and
// acs-server's services. Kept on globalThis so Next's dev HMR does not open PGlite twice.
import {
  createDatabase,
  createEntraTokenStore,
  createLoginThrottle,
  createSessionStore,
  createUserStore,
  databaseOptionsFromEnv,
  readServerEnv,
  type AcsServices,
  type Database,
  type LoginThrottle,
  type SessionStore,
  type UserStore,
} from "@acs-stack/acs-server";
import { acsServerRuntimeEnv, authSecret } from "~/env";
import { createEntraTokenVault, type EntraTokenVault } from "./entra/token-store";

interface Holder {
  database?: Promise<Database>;
  users?: Promise<UserStore>;
  sessions?: Promise<SessionStore>;
  loginThrottle?: Promise<LoginThrottle>;
  services?: Promise<AcsServices>;
  entraTokens?: Promise<EntraTokenVault>;
}
export const processSingletons = ((globalThis as { __acsStackWeb?: Holder }).__acsStackWeb ??= {});

function retryable<T>(create: () => Promise<T>, clear: () => void): Promise<T> {
  return create().catch((error: unknown) => {
    clear(); // the next request tries again (e.g. the database was still starting)
    throw error;
  });
}

export function getDatabase(): Promise<Database> {
  processSingletons.database ??= retryable(
    () => {
      const env = readServerEnv(acsServerRuntimeEnv());
      // DATABASE_URL_UNPOOLED, DATABASE_AUTH=entra and DATABASE_POOL_MAX are read there.
      return createDatabase(databaseOptionsFromEnv(env));
    },
    () => (processSingletons.database = undefined),
  );
  return processSingletons.database;
}

export function getAccountStore(): Promise<UserStore> {
  processSingletons.users ??= getDatabase().then((database) => createUserStore(database));
  return processSingletons.users;
}

export function getSessionStore(): Promise<SessionStore> {
  processSingletons.sessions ??= getDatabase().then((database) => createSessionStore(database));
  return processSingletons.sessions;
}

export function getLoginThrottle(): Promise<LoginThrottle> {
  processSingletons.loginThrottle ??= getDatabase().then((database) =>
    createLoginThrottle(database),
  );
  return processSingletons.loginThrottle;
}

/** Teams users' Entra tokens (entra/token-store.ts), sealed under AUTH_SECRET. */
export function getEntraTokenVault(): Promise<EntraTokenVault> {
  processSingletons.entraTokens ??= retryable(
    async () => createEntraTokenVault(createEntraTokenStore(await getDatabase()), authSecret()),
    () => (processSingletons.entraTokens = undefined),
  );
  return processSingletons.entraTokens;
}
