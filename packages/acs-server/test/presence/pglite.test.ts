import { createDatabase } from "../../src/db";
import { describePresenceSuite } from "./presence-suite";

// Both instances share one in-process PGlite; its LISTEN/NOTIFY delivers to each instance's listener.
describePresenceSuite("pglite", async () => {
  const database = await createDatabase({ memory: true });
  return { databases: [database, database], close: () => database.close() };
});
