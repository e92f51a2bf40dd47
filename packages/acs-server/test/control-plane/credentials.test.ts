// Entra ID and managed-identity failures, end to end through @azure/identity, the official Identity
// SDK and the emulator's local Entra ID: each reaches the procedures as one classified error.

import type { RunningEmulator } from "@acs-stack/acs-emulator";
import { freePort } from "@acs-stack/config/free-port";
import { ClientSecretCredential } from "@azure/identity";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import type { ControlPlaneOptions } from "../../src/control-plane";
import { createIdentityGateway } from "../../src/control-plane";
import type { IdentityGateway } from "../../src/control-plane/identity-gateway";
import { AcsGatewayError } from "../../src/control-plane/identity-gateway";
import { createDatabase } from "../../src/db";
import type { Database } from "../../src/db";
import { readServerEnv } from "../../src/env";
import { acsServerRouter } from "../../src/root";
import { createAcsServices } from "../../src/services";
import { createCallerFactory, createTRPCContext } from "../../src/trpc";
import { createTestUser } from "../helpers/users";
import {
  GRANTED_APP,
  IDENTITY_HEADER,
  startEntraEmulator,
  TENANT_ID,
  UNGRANTED_APP,
  UNGRANTED_MI,
} from "./support";

let acs: RunningEmulator;
const opened: IdentityGateway[] = [];

beforeAll(async () => {
  acs = await startEntraEmulator();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(opened.splice(0).map((g) => g.close()));
});

afterAll(async () => {
  await acs?.close();
});

function quick(): ControlPlaneOptions {
  return {
    clientOptions: { tlsOptions: { ca: acs.caCertPem }, retryOptions: { maxRetries: 0 } },
    credentialOptions: { tlsOptions: { ca: acs.caCertPem }, retryOptions: { maxRetries: 0 } },
    log: () => undefined,
  };
}

async function entraGateway(
  app: { clientId: string; clientSecret: string },
  authorityHost = acs.endpoint,
) {
  const gateway = await createIdentityGateway(
    readServerEnv({
      ACS_ENDPOINT: acs.endpoint,
      AZURE_TENANT_ID: TENANT_ID,
      AZURE_CLIENT_ID: app.clientId,
      AZURE_CLIENT_SECRET: app.clientSecret,
      AZURE_AUTHORITY_HOST: authorityHost,
    }),
    quick(),
  );
  opened.push(gateway);
  return gateway;
}

async function managedIdentityGateway(clientId: string | undefined, header = IDENTITY_HEADER) {
  const identityEndpoint = `${acs.endpoint.replace("https://", "http://")}msi/token`;
  vi.stubEnv("IDENTITY_ENDPOINT", identityEndpoint);
  vi.stubEnv("IDENTITY_HEADER", header);
  const gateway = await createIdentityGateway(
    readServerEnv({
      ACS_ENDPOINT: acs.endpoint,
      IDENTITY_ENDPOINT: identityEndpoint,
      IDENTITY_HEADER: header,
      ...(clientId ? { AZURE_CLIENT_ID: clientId } : {}),
    }),
    quick(),
  );
  opened.push(gateway);
  return gateway;
}

async function failureOf(promise: Promise<unknown>): Promise<AcsGatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AcsGatewayError);
  return error as AcsGatewayError;
}

describe("entra-id failures", () => {
  it("a service principal without the ACS grant gets 403 → credentials-rejected", async () => {
    const error = await failureOf((await entraGateway(UNGRANTED_APP)).createUser());
    expect(error).toMatchObject({ kind: "credentials-rejected", statusCode: 403 });
  });

  it("maps to INTERNAL_SERVER_ERROR 'ACS rejected the server credentials' at the procedures", async () => {
    const database: Database = await createDatabase({ memory: true });
    const services = await createAcsServices({
      env: readServerEnv({}),
      database,
      gateway: await entraGateway(UNGRANTED_APP),
    });
    try {
      const user = await createTestUser(database, "NoGrant");
      const caller = createCallerFactory(acsServerRouter)(createTRPCContext({ user, services }));
      await expect(caller.acs.token.issue()).rejects.toMatchObject({
        code: "INTERNAL_SERVER_ERROR",
        message: "ACS rejected the server credentials.",
      });
    } finally {
      await services.close();
      await database.close();
    }
    // Opens and migrates a database of its own: over 30 s on a loaded machine.
  }, 90_000);

  it("a wrong client secret is refused by the authority → credentials-rejected, secret not echoed", async () => {
    const wrong = { clientId: GRANTED_APP.clientId, clientSecret: "definitely-not-the-secret" };
    const error = await failureOf((await entraGateway(wrong)).createUser());
    expect(error.kind).toBe("credentials-rejected");
    expect(error.message).toMatch(/AADSTS7000215/);
    expect(error.message).not.toContain(wrong.clientSecret);
  });

  it("an authority that does not answer → unreachable", async () => {
    const closedPort = await freePort();
    const error = await failureOf(
      (await entraGateway(GRANTED_APP, `https://127.0.0.1:${closedPort}`)).createUser(),
    );
    expect(error.kind).toBe("unreachable");
  });

  it("with MSAL instance discovery left on, a local authority is never contacted (why we turn it off)", async () => {
    // MSAL asks https://login.microsoftonline.com/common/discovery/instance (msal-common
    // Authority.getCloudDiscoveryMetadataFromNetwork, a hard-coded host) before using any authority
    // it does not know; offline that fails, so the local authority needs disableInstanceDiscovery.
    const credential = new ClientSecretCredential(
      TENANT_ID,
      GRANTED_APP.clientId,
      GRANTED_APP.clientSecret,
      {
        authorityHost: acs.endpoint,
        tlsOptions: { ca: acs.caCertPem },
        retryOptions: { maxRetries: 0 },
      },
    );
    await expect(credential.getToken("https://communication.azure.com//.default")).rejects.toThrow(
      /endpoints_resolution_error|untrusted_authority|ENOTFOUND|getaddrinfo/,
    );
  });
});

// MSAL keeps the managed-identity source (IDENTITY_ENDPOINT/IDENTITY_HEADER and the network client of
// the first credential) in a static for the whole process (msal-node ManagedIdentityClient.identitySource):
// the wrong-header case therefore runs in its own file, i.e. its own process.
describe("managed-identity failures", () => {
  it("the system-assigned identity (no AZURE_CLIENT_ID) works", async () => {
    const gateway = await managedIdentityGateway(undefined);
    await expect(gateway.createUser()).resolves.toHaveProperty("acsUserId");
  });

  it("a user-assigned identity without the ACS grant gets 403 → credentials-rejected", async () => {
    const error = await failureOf((await managedIdentityGateway(UNGRANTED_MI)).createUser());
    expect(error).toMatchObject({ kind: "credentials-rejected", statusCode: 403 });
  });
});
