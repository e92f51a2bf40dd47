// The entra-id model against an emulator another process started from the command line
// (`acs-emulator start --json --entra-principal <id>:<secret>`): only its `--json` line tells this
// process where the authority and the tenant are. @azure/identity's ClientSecretCredential gets the
// token from the emulator's local Entra ID, the official Identity SDK uses it, and a token issued
// before the emulator restarts (on the same data dir) is still accepted after it.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

import { ChatClient } from "@azure/communication-chat";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { afterEach, beforeEach, expect, it } from "vitest";

import { createIdentityGateway } from "../../src/control-plane";
import type { IdentityGateway } from "../../src/control-plane/identity-gateway";
import { AcsGatewayError } from "../../src/control-plane/identity-gateway";
import { readServerEnv } from "../../src/env";

// The package's entry is src/index.ts; its CLI sits next to it in bin/.
const EMULATOR_CLI = path.join(
  path.dirname(createRequire(import.meta.url).resolve("@acs-stack/acs-emulator")),
  "../bin/acs-emulator.mjs",
);
const CLIENT = { id: "cli-started-server-app", secret: "cli-secret-J4v~k" };

/** The `--json` line of `acs-emulator start` (packages/acs-emulator/README.md). */
interface EmulatorJsonLine {
  endpoint: string;
  connectionString: string;
  caCertPath: string;
  dataDir: string;
  entra: { authorityHost: string; tenantId: string };
}

let dataDir: string;
const children: ChildProcess[] = [];
const gateways: IdentityGateway[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "acs-server-entra-cli-"));
});
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  await Promise.all(children.splice(0).map(stop));
  await rm(dataDir, { recursive: true, force: true });
});

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = once(child, "close");
  child.kill("SIGTERM");
  await closed;
}

/** `acs-emulator start` as its own process; resolves with its first stdout line, parsed. */
async function startCli(port: number): Promise<EmulatorJsonLine & { child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      EMULATOR_CLI,
      ...["start", "--json", "--port", String(port), "--data-dir", dataDir],
      ...["--log-level", "error", "--entra-principal", `${CLIENT.id}:${CLIENT.secret}`],
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(child);
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, "line") as Promise<[string]>,
    once(child, "close").then(([code]) => {
      throw new Error(
        `acs-emulator exited with ${String(code)} before its --json line:\n${stderr}`,
      );
    }),
  ]);
  return { ...(JSON.parse(first[0]) as EmulatorJsonLine), child };
}

/** The entra-id model configured from the `--json` line, as a server in another process would be. */
async function entraGateway(info: EmulatorJsonLine, clientSecret = CLIENT.secret) {
  const ca = await readFile(info.caCertPath, "utf8");
  const log: string[] = [];
  const gateway = await createIdentityGateway(
    readServerEnv({
      ACS_ENDPOINT: info.endpoint,
      AZURE_TENANT_ID: info.entra.tenantId,
      AZURE_CLIENT_ID: CLIENT.id,
      AZURE_CLIENT_SECRET: clientSecret,
      AZURE_AUTHORITY_HOST: info.entra.authorityHost,
    }),
    {
      // MSAL's requests to the local authority trust the emulator's CA (a separate server process
      // would set NODE_EXTRA_CA_CERTS=<caCertPath>); the Identity client trusts it by itself, as
      // the control plane recognises a loopback emulator.
      credentialOptions: { tlsOptions: { ca }, retryOptions: { maxRetries: 0 } },
      clientOptions: { retryOptions: { maxRetries: 0 } },
      log: (line) => log.push(line),
    },
  );
  gateways.push(gateway);
  return { gateway, ca, log };
}

async function chatAccepts(endpoint: string, ca: string, token: string): Promise<boolean> {
  const chat = new ChatClient(endpoint, new AzureCommunicationTokenCredential(token), {
    tlsOptions: { ca },
    retryOptions: { maxRetries: 0 },
  });
  await chat.listChatThreads({ maxPageSize: 1 }).byPage().next();
  return true;
}

it("creates an identity and issues its token through a CLI-started emulator's local Entra ID", async () => {
  const info = await startCli(0);
  expect(info.entra.authorityHost).toBe(info.endpoint.replace(/\/$/, ""));
  const { gateway, ca, log } = await entraGateway(info);
  expect(gateway).toMatchObject({ model: "entra-id", endpoint: info.endpoint, emulator: true });
  expect(log.join("\n")).toContain(
    `model=entra-id endpoint=${info.endpoint} tenant=${info.entra.tenantId} client=${CLIENT.id}`,
  );
  expect(log.join("\n")).not.toContain(CLIENT.secret);

  const { acsUserId } = await gateway.createUser();
  expect(acsUserId).toMatch(/^8:acs:[^_:]+_[^_:]+$/);
  const issued = await gateway.issueToken(acsUserId, ["chat"], 60);
  expect(await chatAccepts(info.endpoint, ca, issued.token)).toBe(true);

  // The secret is checked: the same client with another secret is refused by the local Entra ID.
  const { gateway: wrong } = await entraGateway(info, "not-the-secret");
  const refused = await wrong.createUser().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(AcsGatewayError);
  expect(refused).toMatchObject({ kind: "credentials-rejected" });
  expect(String((refused as Error).message)).toContain("AADSTS7000215");
});

it("keeps accepting the Entra ID token issued before the emulator restarted on its data dir", async () => {
  const before = await startCli(0);
  const { gateway } = await entraGateway(before);
  // The first call makes @azure/identity fetch (and cache) an access token from the local Entra ID.
  await gateway.createUser();
  const port = new URL(before.endpoint).port;
  await stop(before.child);

  const after = await startCli(Number(port));
  expect(after.endpoint).toBe(before.endpoint);
  // Same gateway, same cached Entra ID token (valid for an hour): accepted by the new process.
  const { acsUserId } = await gateway.createUser();
  await expect(gateway.issueToken(acsUserId, ["chat"], 60)).resolves.toHaveProperty("token");
});
