// One integration suite, run once per auth model: the tRPC procedures create an identity, issue,
// refresh and revoke a token, with the real emulator as ACS (and its local Entra ID as the
// authority for entra-id and managed-identity). Only the environment differs between runs.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { RunningEmulator } from "@acs-stack/acs-emulator";
import { freePort } from "@acs-stack/config/free-port";
import { ChatClient } from "@azure/communication-chat";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import type { ControlPlaneOptions } from "../../src/control-plane";
import { createIdentityGateway } from "../../src/control-plane";
import { probeEmulator } from "../../src/control-plane/emulator";
import type { Database } from "../../src/db";
import { createDatabase } from "../../src/db";
import { readServerEnv } from "../../src/env";
import { createAcsServices } from "../../src/services";
import { acsServerRouter } from "../../src/root";
import { createCallerFactory, createTRPCContext } from "../../src/trpc";
import type { AuthModel } from "../../src/control-plane/identity-gateway";
import { createTestUser } from "../helpers/users";
import {
  accessKeyOf,
  fetchTrusting,
  GRANTED_APP,
  IDENTITY_HEADER,
  startEntraEmulator,
  TENANT_ID,
  USER_ASSIGNED_MI,
} from "./support";

const createCaller = createCallerFactory(acsServerRouter);

let acs: RunningEmulator;
let database: Database;

beforeAll(async () => {
  [acs, database] = await Promise.all([startEntraEmulator(), createDatabase({ memory: true })]);
});

afterAll(async () => {
  await Promise.all([acs?.close(), database?.close()]);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

interface ModelSetup {
  vars: Record<string, string>;
  options: ControlPlaneOptions;
  /** process.env variables @azure/identity reads itself (App Service sets these). */
  processEnv?: Record<string, string>;
}

function setupFor(model: AuthModel): ModelSetup {
  const ca = acs.caCertPem;
  const sdk = { clientOptions: { tlsOptions: { ca } } };
  switch (model) {
    case "connection-string":
      return { vars: { ACS_CONNECTION_STRING: acs.connectionString }, options: sdk };
    case "entra-id":
      return {
        vars: {
          ACS_ENDPOINT: acs.endpoint,
          AZURE_TENANT_ID: TENANT_ID,
          AZURE_CLIENT_ID: GRANTED_APP.clientId,
          AZURE_CLIENT_SECRET: GRANTED_APP.clientSecret,
          AZURE_AUTHORITY_HOST: acs.endpoint,
        },
        options: { ...sdk, credentialOptions: { tlsOptions: { ca } } },
      };
    case "managed-identity":
      return {
        vars: {
          ACS_ENDPOINT: acs.endpoint,
          AZURE_CLIENT_ID: USER_ASSIGNED_MI,
          IDENTITY_ENDPOINT: `${acs.endpoint.replace("https://", "http://")}msi/token`,
          IDENTITY_HEADER,
        },
        processEnv: {
          IDENTITY_ENDPOINT: `${acs.endpoint.replace("https://", "http://")}msi/token`,
          IDENTITY_HEADER,
        },
        options: sdk,
      };
    case "hmac-rest":
      return {
        vars: { ACS_ENDPOINT: acs.endpoint, ACS_ACCESS_KEY: accessKeyOf(acs.connectionString) },
        options: { fetch: fetchTrusting(ca) },
      };
    case "emulator":
      // Nothing about ACS configured: the control plane starts its own emulator (port 0: no reuse probe).
      return { vars: { ACS_EMULATOR_PORT: "0", ACS_EMULATOR_IN_MEMORY: "true" }, options: {} };
  }
}

/** Whether `token` is accepted by the chat API of the ACS at `endpoint`. */
async function chatAccepts(endpoint: string, ca: string, token: string): Promise<true | number> {
  const chat = new ChatClient(endpoint, new AzureCommunicationTokenCredential(token), {
    tlsOptions: { ca },
    retryOptions: { maxRetries: 0 },
  });
  try {
    await chat.listChatThreads({ maxPageSize: 1 }).byPage().next();
    return true;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode ?? -1;
  }
}

describe.each<AuthModel>([
  "connection-string",
  "entra-id",
  "managed-identity",
  "hmac-rest",
  "emulator",
])("auth model %s", (model) => {
  it("creates an identity, issues, refreshes and revokes a token through the procedures", async () => {
    const setup = setupFor(model);
    for (const [name, value] of Object.entries(setup.processEnv ?? {})) vi.stubEnv(name, value);
    const logLines: string[] = [];
    const env = readServerEnv(setup.vars);
    const gateway = await createIdentityGateway(env, {
      ...setup.options,
      log: (line) => logLines.push(line),
    });
    const services = await createAcsServices({ env, database, gateway });
    try {
      expect(gateway.model).toBe(model);
      expect(logLines).toHaveLength(1);
      expect(logLines[0]).toContain(`model=${model}`);
      expect(logLines[0]).toContain(`endpoint=${gateway.endpoint}`);
      for (const secret of [
        accessKeyOf(acs.connectionString),
        GRANTED_APP.clientSecret,
        IDENTITY_HEADER,
      ]) {
        expect(logLines[0]).not.toContain(secret);
      }
      const ca = gateway.emulatorCaCertPem ?? acs.caCertPem;
      const user = await createTestUser(database, `Model ${model}`);
      const caller = createCaller(createTRPCContext({ user, services }));

      expect(await caller.acs.identity.me()).toBeNull();
      const issued = await caller.acs.token.issue({ scopes: ["chat"], expiresInMinutes: 60 });
      // The first issue created the identity.
      const me = await caller.acs.identity.me();
      expect(me?.acsUserId).toMatch(/^8:acs:[^_:]+_[^_:]+$/);
      // Every model here aims at a loopback emulator, which the control plane recognises (and trusts).
      expect(issued).toMatchObject({
        acsUserId: me?.acsUserId,
        scopes: ["chat"],
        endpoint: gateway.endpoint,
        emulator: true,
      });
      expect(await chatAccepts(issued.endpoint, ca, issued.token)).toBe(true);

      const refreshed = await caller.acs.token.refresh();
      expect(refreshed).toMatchObject({ acsUserId: me?.acsUserId, scopes: ["chat"] });
      expect(await chatAccepts(refreshed.endpoint, ca, refreshed.token)).toBe(true);

      await expect(caller.acs.token.revoke()).resolves.toMatchObject({ revoked: true });
      expect(await chatAccepts(issued.endpoint, ca, issued.token)).toBe(401);
      expect(await chatAccepts(refreshed.endpoint, ca, refreshed.token)).toBe(401);
      // ACS has no refresh token: after revocation only a new issue brings a working token back.
      await expect(caller.acs.token.refresh()).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
      const again = await caller.acs.token.issue({ scopes: ["chat"] });
      expect(await chatAccepts(again.endpoint, ca, again.token)).toBe(true);

      await expect(caller.acs.identity.delete()).resolves.toEqual({ deleted: true });
      expect(await chatAccepts(again.endpoint, ca, again.token)).toBe(401);
    } finally {
      await services.close();
      await gateway.close();
    }
  });
});

describe("emulator model: start or reuse", () => {
  it("reuses an emulator already running at ACS_EMULATOR_HOST:PORT and leaves it running on close", async () => {
    const lines: string[] = [];
    const gateway = await createIdentityGateway(
      readServerEnv({ ACS_EMULATOR_HOST: "127.0.0.1", ACS_EMULATOR_PORT: String(acs.port) }),
      { log: (line) => lines.push(line) },
    );
    expect(gateway).toMatchObject({
      model: "emulator",
      emulator: true,
      endpoint: acs.endpoint,
      emulatorCaCertPem: acs.caCertPem,
    });
    expect(lines[0]).toContain("reused running emulator");
    const { acsUserId } = await gateway.createUser();
    // The identity exists in the shared emulator: the official SDK on it issues a token for it.
    const direct = new CommunicationIdentityClient(acs.connectionString, {
      tlsOptions: { ca: acs.caCertPem },
    });
    await expect(
      direct.getToken({ communicationUserId: acsUserId }, ["chat"]),
    ).resolves.toHaveProperty("token");
    await gateway.close();
    expect(await probeEmulator("127.0.0.1", acs.port, 1000)).toBeDefined();
  });

  it("recognises a running emulator behind an explicit connection string and trusts its CA unasked", async () => {
    // What a developer does after `pnpm acs-emulator start`: paste the printed connection string.
    const lines: string[] = [];
    const gateway = await createIdentityGateway(
      readServerEnv({ ACS_CONNECTION_STRING: acs.connectionString }),
      {
        log: (line) => lines.push(line),
      },
    );
    try {
      expect(lines[0]).toMatch(/model=connection-string .*\[a local acs-emulator\]$/);
      expect(gateway).toMatchObject({
        model: "connection-string",
        emulator: true,
        emulatorCaCertPem: acs.caCertPem,
      });
      await expect(gateway.createUser()).resolves.toHaveProperty("acsUserId");
    } finally {
      await gateway.close();
    }
    expect(await probeEmulator("127.0.0.1", acs.port, 1000)).toBeDefined();
  });

  it("two processes' worth of start-ups racing for one port end with one emulator, shared", async () => {
    const port = await freePort();
    const lines: string[] = [];
    const env = readServerEnv({ ACS_EMULATOR_PORT: String(port), ACS_EMULATOR_IN_MEMORY: "true" });
    const gateways = await Promise.all(
      [1, 2, 3].map(() => createIdentityGateway(env, { log: (l) => lines.push(l) })),
    );
    try {
      expect(new Set(gateways.map((g) => g.endpoint))).toEqual(
        new Set([`https://127.0.0.1:${port}/`]),
      );
      expect(lines.filter((l) => l.includes("started in-process"))).toHaveLength(1);
      expect(lines.filter((l) => l.includes("reused running emulator"))).toHaveLength(2);
      await Promise.all(gateways.map((g) => g.createUser()));
    } finally {
      await Promise.all(gateways.map((g) => g.close()));
    }
    expect(await probeEmulator("127.0.0.1", port, 1000)).toBeUndefined();
  });

  it("an emulator it starts keeps its state in ACS_EMULATOR_DATA_DIR across restarts", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "acs-control-plane-"));
    try {
      const env = readServerEnv({ ACS_EMULATOR_PORT: "0", ACS_EMULATOR_DATA_DIR: dataDir });
      const first = await createIdentityGateway(env, { log: () => undefined });
      const { acsUserId } = await first.createUser();
      await first.close();
      expect(await readdir(dataDir)).not.toHaveLength(0);
      // A new start on the same data dir (new port) still knows the identity and trusts the same CA.
      const second = await createIdentityGateway(env, { log: () => undefined });
      try {
        expect(second.emulatorCaCertPem).toBe(first.emulatorCaCertPem);
        await expect(second.issueToken(acsUserId, ["chat"], 60)).resolves.toHaveProperty("token");
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("stops the emulator it started when the gateway closes", async () => {
    const lines: string[] = [];
    const gateway = await createIdentityGateway(
      readServerEnv({ ACS_EMULATOR_PORT: "0", ACS_EMULATOR_IN_MEMORY: "1" }),
      {
        log: (line) => lines.push(line),
      },
    );
    expect(lines[0]).toContain("started in-process");
    const port = Number(new URL(gateway.endpoint).port);
    expect(port).not.toBe(acs.port);
    expect(await probeEmulator("127.0.0.1", port, 1000)).toBeDefined();
    await gateway.close();
    expect(await probeEmulator("127.0.0.1", port, 1000)).toBeUndefined();
  });
});
