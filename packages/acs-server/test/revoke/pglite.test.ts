import { createDatabase } from "../../src/db";
import { describeRevokeSuite } from "./revoke-suite";

// One process owns a PGlite database: one instance.
describeRevokeSuite("pglite", async () => {
  const database = await createDatabase({ memory: true });
  return { databases: [database], close: () => database.close() };
});
