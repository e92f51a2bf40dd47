// A wrong IDENTITY_HEADER (App Service's secret for its identity endpoint). Its own file: MSAL binds the
// managed-identity source, with the header, once per process (see credentials.test.ts).
import type { RunningEmulator } from "@acs-stack/acs-emulator";
import { afterAll, beforeAll, expect, it, vi } from "vitest";

import { createIdentityGateway } from "../../src/control-plane";
import { AcsGatewayError } from "../../src/control-plane/identity-gateway";
import { readServerEnv } from "../../src/env";
import { startEntraEmulator, USER_ASSIGNED_MI } from "./support";

let acs: RunningEmulator;

beforeAll(async () => {
  acs = await startEntraEmulator();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await acs?.close();
});

it("a wrong IDENTITY_HEADER is refused by the identity endpoint → credentials-rejected", async () => {
  const identityEndpoint = `${acs.endpoint.replace("https://", "http://")}msi/token`;
  vi.stubEnv("IDENTITY_ENDPOINT", identityEndpoint);
  vi.stubEnv("IDENTITY_HEADER", "not-the-header");
  const gateway = await createIdentityGateway(
    readServerEnv({
      ACS_ENDPOINT: acs.endpoint,
      IDENTITY_ENDPOINT: identityEndpoint,
      IDENTITY_HEADER: "not-the-header",
      AZURE_CLIENT_ID: USER_ASSIGNED_MI,
    }),
    {
      clientOptions: { tlsOptions: { ca: acs.caCertPem }, retryOptions: { maxRetries: 0 } },
      log: () => undefined,
    },
  );
  try {
    const error = await gateway.createUser().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AcsGatewayError);
    expect(error).toMatchObject({ kind: "credentials-rejected" });
    expect((error as Error).message).toMatch(/X-IDENTITY-HEADER/);
    expect((error as Error).message).not.toContain("not-the-header");
  } finally {
    await gateway.close();
  }
});
