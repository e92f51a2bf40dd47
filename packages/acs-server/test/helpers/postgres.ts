// A private PostgreSQL 15 cluster for one test file: temp dir, 127.0.0.1, a free port, trust auth
// (plus any pg_hba.conf lines a test adds in front). stopServer()/startServer() take the server down
// and bring it back on the same port and data (fault tests); stop() removes the whole cluster.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { freePort } from "@acs-stack/config/free-port";

const run = promisify(execFile);

export interface PostgresCluster {
  url: string;
  /** `pg_ctl stop -m fast`: sessions are ended, new connections refused; data and port are kept. */
  stopServer(): Promise<void>;
  /** `pg_ctl start` on the same port and data directory; resolves once it accepts connections. */
  startServer(): Promise<void>;
  /** Stops the server and deletes the cluster (teardown). */
  stop(): Promise<void>;
}

export interface PostgresClusterOptions {
  /** pg_hba.conf lines placed before the default trust rules (first match wins), e.g. a scram-sha-256 role. */
  hbaRules?: string[];
}

function findBinDir(): string {
  for (const dir of [
    "/usr/lib/postgresql/15/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/17/bin",
  ]) {
    if (existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  throw new Error("PostgreSQL server binaries not found: apt-get install -y postgresql");
}

export async function startPostgresCluster(
  options: PostgresClusterOptions = {},
): Promise<PostgresCluster> {
  const binDir = findBinDir();
  const dir = await mkdtemp(path.join(tmpdir(), "acs-server-pg-"));
  const dataDir = path.join(dir, "data");
  // initdb refuses to run as root: run the server tools as the postgres user then.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pgTool = (tool: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", path.join(binDir, tool), ...args])
      : run(path.join(binDir, tool), args);

  await pgTool("initdb", ["-D", dataDir, "-U", "app", "--auth=trust", "--no-sync"]);
  if (options.hbaRules?.length) {
    const hba = path.join(dataDir, "pg_hba.conf");
    await writeFile(hba, `${options.hbaRules.join("\n")}\n${await readFile(hba, "utf8")}`);
  }
  const port = await freePort();
  const startServer = async () => {
    await pgTool("pg_ctl", [
      "-D",
      dataDir,
      "-o",
      `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`,
      "-l",
      path.join(dir, "server.log"),
      "-w",
      "start",
    ]);
  };
  const stopServer = async () => {
    await pgTool("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
  };
  await startServer();
  return {
    url: `postgres://app@127.0.0.1:${port}/postgres`,
    stopServer,
    startServer,
    async stop() {
      await stopServer().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
