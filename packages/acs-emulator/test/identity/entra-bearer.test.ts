// The Identity API with an Entra ID credential (TokenCredential → Authorization: Bearer) instead of the
// access key: tokens of the emulator's local Entra ID for a principal granted access are accepted,
// an ungranted principal is refused with 403.
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { createSpecValidationPolicy } from "../support/spec-validation";

/** Structurally @azure/core-auth's TokenCredential (not a dependency of this package). */
interface TokenCredential {
  getToken(scopes: string | string[]): Promise<{ token: string; expiresOnTimestamp: number }>;
}

const TENANT = "11111111-2222-3333-4444-555555555555";
let emulator: TestEmulator;
const recorder = createSpecValidationPolicy();

beforeAll(async () => {
  emulator = await startTestEmulator({
    entra: {
      principals: [
        {
          tenantId: TENANT,
          clientId: "granted-app",
          clientSecret: "s3cret",
          grantedAcsAccess: true,
        },
        {
          tenantId: TENANT,
          clientId: "ungranted-app",
          clientSecret: "other",
          grantedAcsAccess: false,
        },
      ],
    },
  });
});
afterAll(async () => {
  await emulator.close();
  recorder.expectNoSpecViolations();
});

/** Client-credentials flow against the local Entra ID (over the plain-HTTP side of the same port). */
function clientSecretCredential(clientId: string, clientSecret: string): TokenCredential {
  return {
    async getToken(scopes) {
      const response = await fetch(`${emulator.httpEndpoint}${TENANT}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: clientId,
          client_secret: clientSecret,
          scope: [scopes].flat().join(" "),
        }),
      });
      const body = (await response.json()) as { access_token: string; expires_in: number };
      expect(response.status).toBe(200);
      return { token: body.access_token, expiresOnTimestamp: Date.now() + body.expires_in * 1000 };
    },
  };
}

const clientFor = (clientId: string, secret: string) =>
  new CommunicationIdentityClient(emulator.endpoint, clientSecretCredential(clientId, secret), {
    tlsOptions: { ca: emulator.caCertPem },
    additionalPolicies: recorder.clientOption,
    retryOptions: { maxRetries: 0 },
  });

it("accepts an Entra ID token of a granted principal for every identity operation", async () => {
  const client = clientFor("granted-app", "s3cret");
  const { user, token } = await client.createUserAndToken(["chat"]);
  expect(token.split(".")).toHaveLength(3);
  await expect(client.getToken(user, ["voip"])).resolves.toHaveProperty("token");
  await client.revokeTokens(user);
  await client.deleteUser(user);
});

it("refuses an ungranted principal with 403", async () => {
  await expect(clientFor("ungranted-app", "other").createUser()).rejects.toMatchObject({
    statusCode: 403,
  });
});
