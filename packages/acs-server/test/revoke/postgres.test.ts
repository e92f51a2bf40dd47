import { createDatabase } from "../../src/db";
import type { PostgresCluster } from "../helpers/postgres";
import { startPostgresCluster } from "../helpers/postgres";
import { describeRevokeSuite } from "./revoke-suite";

async function onCluster(instances: number) {
  const cluster: PostgresCluster = await startPostgresCluster();
  const databases = await Promise.all(
    Array.from({ length: instances }, () => createDatabase({ url: cluster.url })),
  );
  return {
    databases,
    async close() {
      await Promise.all(databases.map((d) => d.close()));
      await cluster.stop();
    },
  };
}

describeRevokeSuite("postgres, one instance", () => onCluster(1));
// Two instances = two pools (and two lock pools) on one PostgreSQL: issue on one, revoke on the other.
describeRevokeSuite("postgres, two instances", () => onCluster(2));
