// The Entra tokens of people who signed in with Microsoft Entra ID and the Teams scopes, kept on the
// server only, in acs-server's EntraTokenStore (one row per app user, deleted with the user). The
// access and refresh tokens are sealed here with AES-256-GCM under a key derived from AUTH_SECRET and
// bound to the row's user, so a database dump or a row copied to another user yields nothing usable.
// They never go into the session cookie, a response or a log.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { EntraTokenStore } from "@acs-stack/acs-server";

export interface EntraTokens {
  /** The person's Entra object id (`oid`) and tenant (`tid`) from the sign-in's id_token. */
  objectId: string;
  tenantId: string | null;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date;
}

export interface EntraTokenVault {
  save(userId: string, tokens: EntraTokens): Promise<void>;
  /** Null when there is none, or it was sealed under another AUTH_SECRET (sign in again). */
  get(userId: string): Promise<EntraTokens | null>;
  remove(userId: string): Promise<void>;
}

interface Secrets {
  accessToken: string;
  refreshToken: string | null;
}

function sealingKey(authSecret: string): Buffer {
  // The label predates acs-server's table (it was apps/web's `web_entra_tokens`); changing it would
  // make every stored row unreadable.
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

/** Seals on the way into `store` and unseals on the way out, under a key derived from `authSecret`. */
export function createEntraTokenVault(store: EntraTokenStore, authSecret: string): EntraTokenVault {
  const key = sealingKey(authSecret);
  return {
    async save(userId, { objectId, tenantId, accessToken, refreshToken, expiresAt }) {
      const sealed = seal(key, userId, { accessToken, refreshToken });
      await store.save(userId, { objectId, tenantId, sealed, expiresAt });
    },
    async get(userId) {
      const row = await store.get(userId);
      if (!row) return null;
      const secrets = unseal(key, userId, row.sealed);
      if (!secrets) return null;
      return {
        objectId: row.objectId,
        tenantId: row.tenantId,
        accessToken: secrets.accessToken,
        refreshToken: secrets.refreshToken,
        expiresAt: row.expiresAt,
      };
    },
    remove: (userId) => store.remove(userId),
  };
}
