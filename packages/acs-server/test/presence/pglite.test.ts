import { createDatabase } from "../../src/db";
import { describePresenceSuite } from "./presence-suite";
import { describeServerlessPresenceSuite } from "./serverless-suite";

// Both instances share one in-process PGlite; its LISTEN/NOTIFY delivers to each instance's listener.
async function openPglite() {
  const database = await createDatabase({ memory: true });
  return { databases: [database, database] as const, close: () => database.close() };
}

describePresenceSuite("pglite", async () => {
  const { databases, close } = await openPglite();
  return { databases: [databases[0], databases[1]], close };
});
describeServerlessPresenceSuite("pglite", async () => {
  const { databases, close } = await openPglite();
  return { databases: [databases[0], databases[1]], close };
});
