// The Entra tokens of people who signed in with Microsoft Entra ID and the Teams scopes, kept on the
// server only: one row per app user in `web_entra_tokens`, a table of the web app (created here on
// first use, not by acs-server's migrations). The access and refresh tokens are sealed with AES-256-GCM
// under a key derived from AUTH_SECRET and bound to the row's user, so a database dump or a row copied
// to another user yields nothing usable. They never go into the session cookie, a response or a log.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { Database } from "@acs-stack/acs-server";
import { sql } from "drizzle-orm";

export interface EntraTokens {
  /** The person's Entra object id (`oid`) and tenant (`tid`) from the sign-in's id_token. */
  objectId: string;
  tenantId: string | null;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date;
}

export interface EntraTokenStore {
  save(userId: string, tokens: EntraTokens): Promise<void>;
  /** Null when there is none, or it was sealed under another AUTH_SECRET (sign in again). */
  get(userId: string): Promise<EntraTokens | null>;
  remove(userId: string): Promise<void>;
}

interface Row extends Record<string, unknown> {
  object_id: string;
  tenant_id: string | null;
  sealed: string;
  expires_at: Date | string;
}

const CREATE_TABLE = sql`create table if not exists web_entra_tokens (
  user_id text primary key references app_users(id) on delete cascade,
  object_id text not null,
  tenant_id text,
  sealed text not null,
  expires_at timestamptz not null,
  updated_at timestamptz not null default now()
)`;

interface Secrets {
  accessToken: string;
  refreshToken: string | null;
}

function sealingKey(authSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret, "acs-stack", "web_entra_tokens v1", 32));
}

function seal(key: Buffer, userId: string, secrets: Secrets): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(userId));
  const body = Buffer.concat([cipher.update(JSON.stringify(secrets), "utf8"), cipher.final()]);
  return [iv, body, cipher.getAuthTag()].map((part) => part.toString("base64url")).join(".");
}

function unseal(key: Buffer, userId: string, sealed: string): Secrets | null {
  const [iv, body, tag] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !body || !tag) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(Buffer.from(userId));
    decipher.setAuthTag(tag);
    const text = Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
    return JSON.parse(text) as Secrets;
  } catch {
    return null; // another key (AUTH_SECRET changed) or another user's row
  }
}

async function rows(database: Database, query: ReturnType<typeof sql>): Promise<Row[]> {
  // Both drivers (PGlite, node-postgres) answer `{ rows }`.
  const result: unknown = await database.orm.execute(query);
  return (result as { rows: Row[] }).rows;
}

export async function createEntraTokenStore(
  database: Database,
  authSecret: string,
): Promise<EntraTokenStore> {
  // Several instances may start at once against one PostgreSQL: one creates the table.
  await database.withLock("web_entra_tokens:create", async () => {
    await database.orm.execute(CREATE_TABLE);
  });
  const key = sealingKey(authSecret);
  return {
    async save(userId, tokens) {
      const sealed = seal(key, userId, {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
      });
      const expiresAt = tokens.expiresAt.toISOString();
      await database.orm.execute(sql`
        insert into web_entra_tokens (user_id, object_id, tenant_id, sealed, expires_at)
        values (${userId}, ${tokens.objectId}, ${tokens.tenantId}, ${sealed}, ${expiresAt})
        on conflict (user_id) do update set object_id = excluded.object_id,
          tenant_id = excluded.tenant_id, sealed = excluded.sealed,
          expires_at = excluded.expires_at, updated_at = now()`);
    },
    async get(userId) {
      const [row] = await rows(
        database,
        sql`select object_id, tenant_id, sealed, expires_at from web_entra_tokens where user_id = ${userId}`,
      );
      if (!row) return null;
      const secrets = unseal(key, userId, row.sealed);
      if (!secrets) return null;
      return {
        objectId: row.object_id,
        tenantId: row.tenant_id,
        accessToken: secrets.accessToken,
        refreshToken: secrets.refreshToken,
        expiresAt: new Date(row.expires_at),
      };
    },
    async remove(userId) {
      await database.orm.execute(sql`delete from web_entra_tokens where user_id = ${userId}`);
    },
  };
}
