import { createDatabase } from "../../src/db";
import { startPostgresCluster } from "../helpers/postgres";
import type { PresenceBackend } from "./presence-suite";
import { describePresenceSuite } from "./presence-suite";
import { describeServerlessPresenceSuite } from "./serverless-suite";

// Two instances = two pools and two LISTEN connections on one private PostgreSQL cluster.
async function openPostgres(): Promise<PresenceBackend> {
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
}

describePresenceSuite("postgres", openPostgres);
describeServerlessPresenceSuite("postgres", openPostgres);
