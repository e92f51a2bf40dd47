// managed-identity on IMDS (VMs, AKS): no IDENTITY_ENDPOINT, so the model is forced with
// ACS_AUTH_MODEL; MSAL is pointed at the emulator's IMDS route by AZURE_POD_IDENTITY_AUTHORITY_HOST
// (msal-node Imds.tryCreate). Its own file: MSAL binds the managed-identity source once per process.
import type { RunningEmulator } from "@acs-stack/acs-emulator";
import { afterAll, beforeAll, expect, it, vi } from "vitest";

import { createIdentityGateway } from "../../src/control-plane";
import { AcsGatewayError } from "../../src/control-plane/identity-gateway";
import { readServerEnv } from "../../src/env";
import { startEntraEmulator } from "./support";

let acs: RunningEmulator;

beforeAll(async () => {
  acs = await startEntraEmulator();
  vi.stubEnv("IDENTITY_ENDPOINT", undefined);
  vi.stubEnv("IDENTITY_HEADER", undefined);
  vi.stubEnv(
    "AZURE_POD_IDENTITY_AUTHORITY_HOST",
    acs.endpoint.replace("https://", "http://").replace(/\/$/, ""),
  );
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await acs?.close();
});

it("the system-assigned identity on IMDS creates an identity and issues a token", async () => {
  const lines: string[] = [];
  const gateway = await createIdentityGateway(
    readServerEnv({ ACS_ENDPOINT: acs.endpoint, ACS_AUTH_MODEL: "managed-identity" }),
    {
      clientOptions: { tlsOptions: { ca: acs.caCertPem }, retryOptions: { maxRetries: 0 } },
      // The first call also fetches the identity's token from IMDS: room for a busy CI machine.
      callTimeoutMs: 30_000,
      log: (l) => lines.push(l),
    },
  );
  try {
    expect(lines[0]).toContain("identity=system-assigned source=IMDS");
    const { acsUserId } = await gateway.createUser();
    const issued = await gateway.issueToken(acsUserId, ["chat", "voip"], 60);
    expect(issued.expiresOn.getTime()).toBeGreaterThan(Date.now());
    await gateway.revokeTokens(acsUserId);
    await gateway.deleteUser(acsUserId);
    const gone = await gateway.issueToken(acsUserId, ["chat"], 60).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(AcsGatewayError);
    expect(gone).toMatchObject({ kind: "not-found" });
  } finally {
    await gateway.close();
  }
});
