import { createDatabase } from "../../src/db";
import { startPostgresCluster } from "../helpers/postgres";
import { describePresenceSuite } from "./presence-suite";

// Two instances = two pools and two LISTEN connections on one private PostgreSQL cluster.
describePresenceSuite("postgres", async () => {
  const cluster = await startPostgresCluster();
  const databases = await Promise.all([
    createDatabase({ url: cluster.url }),
    createDatabase({ url: cluster.url }),
  ]);
  return {
    databases: [databases[0], databases[1]],
    async close() {
      await Promise.all(databases.map((d) => d.close()));
      await cluster.stop();
    },
  };
});
