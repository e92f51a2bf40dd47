import "server-only";
// The stores behind email-accounts.ts, opened once per process on the app's database (server/db.ts).
import { createEmailTokenStore, createMailSendLimit } from "@acs-stack/acs-server";
import { env } from "~/env";
import { getAccountStore, getDatabase, getLoginThrottle } from "../db";
import { appOrigin } from "../mail/links";
import type { EmailAccountDependencies } from "./email-accounts";

let dependencies: Promise<EmailAccountDependencies> | undefined;

export function emailAccountDependencies(): Promise<EmailAccountDependencies> {
  dependencies ??= (async () => {
    const [database, users, throttle] = await Promise.all([
      getDatabase(),
      getAccountStore(),
      getLoginThrottle(),
    ]);
    return {
      users,
      throttle,
      tokens: createEmailTokenStore(database),
      limit: createMailSendLimit(database, { perClient: env.AUTH_MAIL_PER_CLIENT_PER_MINUTE }),
      origin: appOrigin(env),
    };
  })().catch((error: unknown) => {
    dependencies = undefined; // the next request tries again
    throw error;
  });
  return dependencies;
}
