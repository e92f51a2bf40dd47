import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { createDatabase } from "../../src/db";
import { describeEntraTokensMigration } from "./entra-token-suite";
import { describeStoreSuite } from "./store-suite";

describeStoreSuite("pglite", () => createDatabase({ memory: true }));

const migrationDataDir = mkdtemp(path.join(tmpdir(), "acs-pglite-migration-"));
describeEntraTokensMigration("pglite", async (migrationsFolder) =>
  createDatabase({
    dataDir: await migrationDataDir,
    ...(migrationsFolder && { migrationsFolder }),
  }),
);
