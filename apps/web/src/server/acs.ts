import "server-only";
// acs-server's services, one set per server process (on globalThis via processSingletons, so Next's
// dev HMR does not start a second emulator client or database), and server-side procedure calls.
import {
  createAcsServices,
  createCallerFactory,
  createTRPCContext,
  readServerEnv,
  type AcsServices,
} from "@acs-stack/acs-server";
import type { SessionUser } from "@acs-stack/acs-server/contract";
import { acsServerRuntimeEnv } from "~/env";
import { appRouter } from "./api/root";
import { sessionIsLiveNow } from "./auth/session-activity";
import { getDatabase, processSingletons } from "./db";
import { requestLog } from "./log";

export function getServices(): Promise<AcsServices> {
  processSingletons.services ??= (async () => {
    const env = readServerEnv(acsServerRuntimeEnv());
    return createAcsServices({ env, database: await getDatabase() });
  })().catch((error: unknown) => {
    processSingletons.services = undefined; // the next request tries again (ACS or the DB may be starting)
    throw error;
  });
  return processSingletons.services;
}

const createCaller = createCallerFactory(appRouter);

/** Asks the database again whether the user's session is live (procedures that waited call it). */
export function sessionActiveCheck(user: SessionUser | null): () => Promise<boolean> {
  return async () => !!user?.sessionId && (await sessionIsLiveNow(user.sessionId, user.id));
}

/** The app's procedures (acs.* and its own) called on the server for one signed-in user. */
export async function serverCaller(user: SessionUser) {
  return createCaller(
    createTRPCContext({
      user,
      services: await getServices(),
      sessionActive: sessionActiveCheck(user),
      // The calling server action's request id (action-log.ts), so its procedure lines share it.
      log: requestLog(),
    }),
  );
}

/** Revokes every ACS token of the user, so a token copied out of the browser dies with the session. */
export async function revokeAcsTokensOf(user: SessionUser): Promise<void> {
  await (await serverCaller(user)).acs.token.revoke();
}
