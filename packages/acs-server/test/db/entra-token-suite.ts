// EntraTokenStore on a real database (part of the store suite: PGlite and PostgreSQL), and the
// migration that moves the rows of apps/web's former runtime-created `web_entra_tokens` table.
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../../src/db";
import { createEntraTokenStore, type SealedEntraTokens } from "../../src/db/entra-tokens";
import { MIGRATIONS_FOLDER } from "../../src/db/migrations-folder";
import { createUserStore } from "../../src/db/users";
import { createTestUser } from "../helpers/users";

const sealedFor = (label: string): SealedEntraTokens => ({
  objectId: "7c1f3a52-0000-4000-8000-000000000001",
  tenantId: "00000000-0000-0000-0000-00000000e417",
  sealed: `sealed-${label}`,
  expiresAt: new Date("2030-01-01T00:00:00.000Z"),
});

/** The EntraTokenStore tests, on the suite's open database. */
export function describeEntraTokenStore(database: () => Database) {
  describe("EntraTokenStore", () => {
    it("keeps one row per user, replaced by the next save", async () => {
      const store = createEntraTokenStore(database());
      const ada = await createTestUser(database(), "Ada");
      expect(await store.get(ada.id)).toBeNull();
      await store.save(ada.id, sealedFor("first"));
      await store.save(ada.id, { ...sealedFor("second"), tenantId: null });
      expect(await store.get(ada.id)).toEqual({ ...sealedFor("second"), tenantId: null });
    });

    it("removes one user's tokens and leaves the others' (Sign out everywhere)", async () => {
      const store = createEntraTokenStore(database());
      const [ada, bob] = [
        await createTestUser(database(), "Ada"),
        await createTestUser(database(), "Bob"),
      ];
      await store.save(ada.id, sealedFor("ada"));
      await store.save(bob.id, sealedFor("bob"));
      await store.remove(ada.id);
      expect(await store.get(ada.id)).toBeNull();
      expect(await store.get(bob.id)).toEqual(sealedFor("bob"));
      await store.remove(ada.id); // nothing left: no error
    });

    it("deletes the row with its app user, and keeps none for a user who does not exist", async () => {
      const store = createEntraTokenStore(database());
      const users = createUserStore(database());
      const ada = await createTestUser(database(), "Ada");
      await store.save(ada.id, sealedFor("ada"));
      await users.deleteUser(ada.id);
      expect(await users.findById(ada.id)).toBeUndefined();
      expect(await store.get(ada.id)).toBeNull();
      await expect(store.save(ada.id, sealedFor("orphan"))).rejects.toThrow();
      expect(await store.get(ada.id)).toBeNull();
    });
  });
}

/** apps/web's former runtime DDL, as it ran before acs-server owned the table. */
const LEGACY_WEB_TABLE = sql`create table if not exists web_entra_tokens (
  user_id text primary key references app_users(id) on delete cascade,
  object_id text not null,
  tenant_id text,
  sealed text not null,
  expires_at timestamptz not null,
  updated_at timestamptz not null default now()
)`;

/** A copy of the migrations folder without `tag` and the ones after it: a database of before. */
async function migrationsBefore(tag: string): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), "acs-migrations-"));
  await cp(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = path.join(folder, "meta", "_journal.json");
  const journal = JSON.parse(await readFile(journalFile, "utf8")) as {
    entries: Array<{ tag: string }>;
  };
  const index = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(index, `migration ${tag} in the journal`).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, index);
  await writeFile(journalFile, JSON.stringify(journal));
  return folder;
}

async function tableExists(database: Database, name: string): Promise<boolean> {
  const result: unknown = await database.orm.execute(
    sql`select to_regclass(${`public.${name}`}) is not null as present`,
  );
  return (result as { rows: Array<{ present: boolean }> }).rows[0]?.present === true;
}

/**
 * The migration on a database whose app once made `web_entra_tokens` itself: its rows move to
 * `entra_tokens` (still readable, still deleted with the user) and the old table is dropped.
 * `open(folder?)` opens one and the same database each time, migrated with `folder` (default all).
 */
export function describeEntraTokensMigration(
  driverName: string,
  open: (migrationsFolder?: string) => Promise<Database>,
) {
  describe(`migration 0004_entra_tokens on ${driverName}`, () => {
    let legacy: Database | undefined;
    let migrated: Database | undefined;
    beforeAll(async () => {
      legacy = await open(await migrationsBefore("0004_entra_tokens"));
    });
    afterAll(async () => {
      await legacy?.close();
      await migrated?.close();
    });

    it("moves the rows of web_entra_tokens into entra_tokens and drops the old table", async () => {
      const before = legacy!;
      expect(await tableExists(before, "entra_tokens")).toBe(false);
      await before.orm.execute(LEGACY_WEB_TABLE);
      const [ada, bob] = [await createTestUser(before, "Ada"), await createTestUser(before, "Bob")];
      const expiresAt = sealedFor("ada").expiresAt.toISOString();
      for (const user of [ada, bob]) {
        await before.orm.execute(sql`insert into web_entra_tokens
          (user_id, object_id, tenant_id, sealed, expires_at)
          values (${user.id}, ${sealedFor(user.id).objectId}, ${sealedFor(user.id).tenantId},
            ${`sealed-${user.id}`}, ${expiresAt})`);
      }
      await before.close();
      legacy = undefined;

      migrated = await open();
      expect(await tableExists(migrated, "web_entra_tokens")).toBe(false);
      const store = createEntraTokenStore(migrated);
      expect(await store.get(ada.id)).toEqual(sealedFor(ada.id));
      expect(await store.get(bob.id)).toEqual(sealedFor(bob.id));
      await createUserStore(migrated).deleteUser(bob.id);
      expect(await store.get(bob.id)).toBeNull();
      expect(await store.get(ada.id)).toEqual(sealedFor(ada.id));
    });
  });
}
