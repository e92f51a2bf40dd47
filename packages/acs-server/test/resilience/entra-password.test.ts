// DATABASE_AUTH=entra: the pg password is a Microsoft Entra token for the Azure Database for
// PostgreSQL scope, asked of the credential when a connection opens and reused until near expiry.
// The credential is a fake (Entra itself cannot run here); PostgreSQL is real, with a role that must
// pass scram-sha-256 with that token as its password, so the token is what signs in.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDatabase } from "../../src/db";
import { DatabaseConfigError, databaseOptionsFromEnv } from "../../src/db/config";
import {
  POSTGRES_ENTRA_SCOPE,
  TOKEN_REFRESH_MARGIN_MS,
  entraTokenPassword,
} from "../../src/db/entra-password";
import { DatabaseUnavailableError } from "../../src/db/unavailable";
import { readServerEnv } from "../../src/env";
import { toTRPCError } from "../../src/errors";
import type { PostgresCluster } from "../helpers/postgres";
import { startPostgresCluster } from "../helpers/postgres";
import { rowsOf } from "./load";

const ROLE = "entra_app";
const HOUR = 3_600_000;

/** A token shaped like Entra's (a long JWT-like string), different for each issue. */
function fakeToken(n: number): string {
  return `eyJ0eXAiOiJKV1QifQ.${Buffer.from(`fake entra token ${n} `.repeat(40)).toString("base64url")}.sig${n}`;
}

/** A TokenCredential that records what it was asked and hands out numbered tokens. */
function fakeCredential(clock: { now: number }, lifetimeMs = HOUR) {
  const requests: { scopes: string | string[]; options?: GetTokenOptions }[] = [];
  const credential: TokenCredential = {
    getToken(scopes, options): Promise<AccessToken> {
      requests.push({ scopes, options });
      return Promise.resolve({
        token: fakeToken(requests.length),
        expiresOnTimestamp: clock.now + lifetimeMs,
      });
    },
  };
  return { credential, requests };
}

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster({
    hbaRules: [`host all ${ROLE} 127.0.0.1/32 scram-sha-256`],
  });
});
afterAll(async () => {
  await cluster?.stop();
});

/** (Re)sets the role's password to `token`, through the trusted admin connection. */
async function setRolePassword(token: string) {
  const admin = await createDatabase({ url: cluster.url, poolMax: 1 });
  try {
    await admin.orm.execute(
      sql.raw(`do $$ begin
        if not exists (select from pg_roles where rolname = '${ROLE}') then
          create role ${ROLE} login superuser;
        end if;
      end $$`),
    );
    // Tokens are base64url and dots only: safe inside a literal.
    await admin.orm.execute(sql.raw(`alter role ${ROLE} password '${token}'`));
  } finally {
    await admin.close();
  }
}

describe("entraTokenPassword", () => {
  it("asks for the PostgreSQL scope, caches until near expiry, shares concurrent requests", async () => {
    const clock = { now: Date.now() };
    const { credential, requests } = fakeCredential(clock);
    const password = entraTokenPassword(credential, { now: () => clock.now });

    const together = await Promise.all([password(), password(), password()]);
    expect(new Set(together)).toEqual(new Set([fakeToken(1)]));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.scopes).toBe(POSTGRES_ENTRA_SCOPE);
    expect(requests[0]!.scopes).toBe("https://ossrdbms-aad.database.windows.net/.default");
    expect(requests[0]!.options?.abortSignal).toBeInstanceOf(AbortSignal);

    clock.now += HOUR - TOKEN_REFRESH_MARGIN_MS - 1_000;
    expect(await password()).toBe(fakeToken(1));
    expect(requests).toHaveLength(1);

    clock.now += 2_000; // now inside the refresh margin
    expect(await password()).toBe(fakeToken(2));
    expect(requests).toHaveLength(2);
  });

  it("turns a credential failure into DatabaseUnavailableError (SERVICE_UNAVAILABLE)", async () => {
    const password = entraTokenPassword({
      getToken: () => Promise.reject(new Error("ManagedIdentityCredential: no identity\nmore")),
    });
    const error = await password().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toBe(
      "Could not get a Microsoft Entra token for PostgreSQL: ManagedIdentityCredential: no identity",
    );
    expect(toTRPCError(error).code).toBe("SERVICE_UNAVAILABLE");
  });
});

describe("DATABASE_AUTH=entra on PostgreSQL with password authentication", () => {
  const entraUrl = () => cluster.url.replace("postgres://app@", `postgres://${ROLE}@`);

  it("signs every connection (data, locks, LISTEN, migrations) in with the token", async () => {
    const clock = { now: Date.now() };
    const { credential, requests } = fakeCredential(clock);
    await setRolePassword(fakeToken(1));
    const env = readServerEnv({ DATABASE_URL: entraUrl(), DATABASE_AUTH: "entra" });
    const options = databaseOptionsFromEnv(env, { credential });
    expect(typeof options.password).toBe("function");

    const database = await createDatabase(options);
    try {
      await database.listen("acs_entra", () => undefined);
      const users = await database.withLock("entra", () =>
        rowsOf<{ usename: string; application_name: string }>(
          database,
          sql`select usename, application_name from pg_stat_activity
              where backend_type = 'client backend' order by application_name`,
        ),
      );
      expect(users).toEqual([
        { usename: ROLE, application_name: "acs-server" },
        { usename: ROLE, application_name: "acs-server-listen" },
        { usename: ROLE, application_name: "acs-server-locks" },
      ]);
      // Four connections (migrations, data, LISTEN, locks) and one token: cached, not re-asked.
      expect(requests.map((r) => r.scopes)).toEqual([POSTGRES_ENTRA_SCOPE]);
    } finally {
      await database.close();
    }
  });

  it("is refused by PostgreSQL when the token is not the role's password", async () => {
    const clock = { now: Date.now() };
    const { credential } = fakeCredential(clock);
    await setRolePassword("some-other-token");
    const env = readServerEnv({ DATABASE_URL: entraUrl(), DATABASE_AUTH: "entra" });
    await expect(createDatabase(databaseOptionsFromEnv(env, { credential }))).rejects.toThrow(
      `password authentication failed for user "${ROLE}"`,
    );
  });

  it("refuses a URL that carries a password, and entra without PostgreSQL", () => {
    const withPassword = readServerEnv({
      DATABASE_URL: "postgres://u:secret@db.example/app",
      DATABASE_AUTH: "entra",
    });
    expect(() => databaseOptionsFromEnv(withPassword)).toThrow(DatabaseConfigError);
    expect(() => databaseOptionsFromEnv(withPassword)).toThrow(/DATABASE_URL carries a password/);
    expect(() => databaseOptionsFromEnv(readServerEnv({ DATABASE_AUTH: "entra" }))).toThrow(
      "DATABASE_AUTH=entra needs DATABASE_URL (PostgreSQL).",
    );
  });
});
