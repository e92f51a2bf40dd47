// People with email-and-password accounts for the production suite and the load bench, made the
// fastest honest way: written through acs-server's user store into the deployment's PostgreSQL (what
// sign-up does, without the form), then signed in over HTTP through next-auth (app-client.ts), so the
// server checks each password as it would a browser's. The one place that creates accounts: adapt it
// here if sign-up rules change.
import { randomBytes } from "node:crypto";
import { createDatabase, createUserStore, type DatabaseOptions } from "@acs-stack/acs-server";
import {
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  type ScryptParams,
} from "../src/server/auth/password";

export interface Account {
  id: string;
  email: string;
  displayName: string;
  password: string;
}

/**
 * `count` new accounts on the database at `database` (a PostgreSQL URL, or options such as a PGlite
 * data dir that no server has open yet), all with one password (hashed once). The
 * hash carries its scrypt parameters, which the server's check follows: a cheaper `scrypt` makes
 * signing in many accounts fast where sign-in is not what is measured (the load bench).
 */
export async function createAccounts(
  database: string | DatabaseOptions,
  count: number,
  label: string,
  scrypt: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<Account[]> {
  const run = randomBytes(4).toString("hex");
  const password = `prod suite pass phrase ${run}`;
  const passwordHash = await hashPassword(password, scrypt);
  const opened = await createDatabase(typeof database === "string" ? { url: database } : database);
  try {
    const users = createUserStore(opened);
    const accounts: Account[] = [];
    for (let i = 0; i < count; i += 1) {
      const email = `${label}.${run}.${i}@prod.test`;
      const user = await users.createUser({
        email,
        displayName: `${label} ${run} ${i}`,
        passwordHash,
        // Confirmed, as after following the mailed link (e2e/email-verification.spec.ts tests that path).
        emailVerifiedAt: new Date(),
      });
      accounts.push({ id: user.id, email, displayName: user.displayName, password });
    }
    return accounts;
  } finally {
    await opened.close();
  }
}
