// The local Entra ID at protocol level (requests as MSAL Node sends them, captured from
// @azure/identity 4.14.1). acs-server's control-plane suite drives it through @azure/identity itself.
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";

import type { EmulatorRequest, EmulatorResponse } from "../../src/http/types";
import { AcsHttpError } from "../../src/http/types";
import type { Logger } from "../../src/modules";
import { ACS_AUDIENCE, createEntraApi, ENTRA_DEFAULTS } from "../../src/entra/index";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const HOST = "127.0.0.1:45443";
const TENANT = "11111111-2222-3333-4444-555555555555";

function makeEntra(now: () => Date = () => new Date()) {
  return createEntraApi({
    now,
    log: silent,
    resourceId: "res-1",
    options: {
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
      managedIdentities: [
        { grantedAcsAccess: true },
        { clientId: "user-assigned-1", grantedAcsAccess: true },
        { clientId: "user-assigned-denied", grantedAcsAccess: false },
      ],
    },
  });
}

function request(
  method: string,
  target: string,
  init: { headers?: Record<string, string>; body?: string; scheme?: "https" | "http" } = {},
): EmulatorRequest {
  const scheme = init.scheme ?? "https";
  return {
    method,
    url: new URL(target, `${scheme}://${HOST}`),
    rawTarget: target,
    headers: { host: HOST, ...init.headers },
    body: Buffer.from(init.body ?? ""),
    scheme,
  };
}

function json(response: EmulatorResponse | undefined): {
  status: number;
  body: Record<string, unknown>;
} {
  if (!response || !("json" in response)) throw new Error("expected a JSON response");
  return { status: response.status, body: response.json as Record<string, unknown> };
}

function tokenForm(fields: Record<string, string>) {
  return {
    headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      scope: "https://communication.azure.com//.default",
      ...fields,
    }).toString(),
  };
}

async function clientCredentialsToken(
  entra: ReturnType<typeof makeEntra>,
  clientId: string,
  clientSecret: string,
) {
  const res = json(
    await entra.handle(
      request(
        "POST",
        `/${TENANT}/oauth2/v2.0/token?client-request-id=x`,
        tokenForm({ client_id: clientId, client_secret: clientSecret }),
      ),
    ),
  );
  expect(res.status).toBe(200);
  return String(res.body.access_token);
}

describe("local Entra ID: discovery and keys", () => {
  it("serves OpenID discovery with endpoints on the requesting origin", async () => {
    const entra = makeEntra();
    const res = json(
      await entra.handle(request("GET", `/${TENANT}/v2.0/.well-known/openid-configuration`)),
    );
    expect(res.status).toBe(200);
    expect(res.body.issuer).toBe(`https://${HOST}/${TENANT}/v2.0`);
    expect(res.body.token_endpoint).toBe(`https://${HOST}/${TENANT}/oauth2/v2.0/token`);
    expect(res.body.jwks_uri).toBe(`https://${HOST}/${TENANT}/discovery/v2.0/keys`);
  });

  it("refuses an unknown tenant the way Entra does (AADSTS90002)", async () => {
    const res = json(
      await makeEntra().handle(
        request("GET", "/not-a-tenant/v2.0/.well-known/openid-configuration"),
      ),
    );
    expect(res.status).toBe(400);
    expect(String(res.body.error_description)).toMatch(/^AADSTS90002/);
  });

  it("leaves other paths to the rest of the emulator", async () => {
    const entra = makeEntra();
    expect(
      await entra.handle(request("POST", "/identities?api-version=2023-10-01")),
    ).toBeUndefined();
    expect(await entra.handle(request("GET", "/chat/threads"))).toBeUndefined();
  });

  it("issues RS256 tokens for ACS that verify against its JWKS", async () => {
    const entra = makeEntra();
    const token = await clientCredentialsToken(entra, "granted-app", "s3cret");
    const jwks = json(await entra.handle(request("GET", `/${TENANT}/discovery/v2.0/keys`))).body;
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks as never), {
      audience: ACS_AUDIENCE,
      issuer: `https://${HOST}/${TENANT}/v2.0`,
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({ appid: "granted-app", tid: TENANT });
    expect(typeof payload.oid).toBe("string");
    expect(payload.exp! - payload.iat!).toBe(ENTRA_DEFAULTS.tokenLifetimeSeconds);
  });
});

describe("local Entra ID: client-credentials token endpoint", () => {
  it("rejects a wrong secret with invalid_client (AADSTS7000215)", async () => {
    const res = json(
      await makeEntra().handle(
        request(
          "POST",
          `/${TENANT}/oauth2/v2.0/token`,
          tokenForm({ client_id: "granted-app", client_secret: "nope" }),
        ),
      ),
    );
    expect(res.status).toBe(401);
    expect(res.body.error).toBe("invalid_client");
    expect(String(res.body.error_description)).toMatch(/^AADSTS7000215/);
  });

  it("rejects an unknown client and a scope other than ACS", async () => {
    const entra = makeEntra();
    const unknown = json(
      await entra.handle(
        request(
          "POST",
          `/${TENANT}/oauth2/v2.0/token`,
          tokenForm({ client_id: "who", client_secret: "x" }),
        ),
      ),
    );
    expect(unknown).toMatchObject({ status: 400, body: { error: "unauthorized_client" } });
    const graph = json(
      await entra.handle(
        request("POST", `/${TENANT}/oauth2/v2.0/token`, {
          body: new URLSearchParams({
            grant_type: "client_credentials",
            client_id: "granted-app",
            client_secret: "s3cret",
            scope: "https://graph.microsoft.com/.default",
          }).toString(),
        }),
      ),
    );
    expect(graph).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
  });

  it("accepts client_secret_basic", async () => {
    const basic = Buffer.from("granted-app:s3cret").toString("base64");
    const res = json(
      await makeEntra().handle(
        request("POST", `/${TENANT}/oauth2/v2.0/token`, {
          headers: { authorization: `Basic ${basic}` },
          body: "grant_type=client_credentials&scope=https%3A%2F%2Fcommunication.azure.com%2F.default",
        }),
      ),
    );
    expect(res.status).toBe(200);
  });
});

describe("local Entra ID: App Service managed-identity endpoint", () => {
  const miTarget = (extra = "") =>
    `/msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fcommunication.azure.com%2F${extra}`;

  it("issues the system-assigned identity's token over plain HTTP with the identity header", async () => {
    const entra = makeEntra();
    const res = json(
      await entra.handle(
        request("GET", miTarget(), {
          scheme: "http",
          headers: { "x-identity-header": ENTRA_DEFAULTS.identityHeader },
        }),
      ),
    );
    expect(res.status).toBe(200);
    expect(Number(res.body.expires_on)).toBeGreaterThan(Date.now() / 1000);
    const principal = await entra.verifyAccessToken(`Bearer ${String(res.body.access_token)}`);
    expect(principal.objectId).toBe(decodeJwt(String(res.body.access_token)).oid);
  });

  it("selects a user-assigned identity by client_id", async () => {
    const res = json(
      await makeEntra().handle(
        request("GET", miTarget("&client_id=user-assigned-1"), {
          scheme: "http",
          headers: { "x-identity-header": ENTRA_DEFAULTS.identityHeader },
        }),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.body.client_id).toBe("user-assigned-1");
    expect(decodeJwt(String(res.body.access_token)).appid).toBe("user-assigned-1");
  });

  it("refuses a missing or wrong X-IDENTITY-HEADER, and an identity not assigned", async () => {
    const entra = makeEntra();
    expect(json(await entra.handle(request("GET", miTarget(), { scheme: "http" }))).status).toBe(
      401,
    );
    expect(
      json(
        await entra.handle(
          request("GET", miTarget(), { scheme: "http", headers: { "x-identity-header": "x" } }),
        ),
      ).status,
    ).toBe(401);
    const unassigned = json(
      await entra.handle(
        request("GET", miTarget("&client_id=nobody"), {
          scheme: "http",
          headers: { "x-identity-header": ENTRA_DEFAULTS.identityHeader },
        }),
      ),
    );
    expect(unassigned.status).toBe(400);
  });
});

describe("local Entra ID: IMDS managed-identity endpoint (VMs, AKS)", () => {
  const imds = (extra = "") =>
    `/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fcommunication.azure.com%2F${extra}`;

  it("issues tokens to requests carrying Metadata: true, by client_id for user-assigned", async () => {
    const entra = makeEntra();
    const system = json(
      await entra.handle(request("GET", imds(), { scheme: "http", headers: { metadata: "true" } })),
    );
    expect(system.status).toBe(200);
    expect(Number(system.body.expires_in)).toBe(ENTRA_DEFAULTS.tokenLifetimeSeconds);
    await expect(entra.verifyAccessToken(String(system.body.access_token))).resolves.toHaveProperty(
      "objectId",
    );
    const user = json(
      await entra.handle(
        request("GET", imds("&client_id=user-assigned-1"), {
          scheme: "http",
          headers: { metadata: "true" },
        }),
      ),
    );
    expect(decodeJwt(String(user.body.access_token)).appid).toBe("user-assigned-1");
  });

  it("refuses a request without the Metadata header", async () => {
    const res = json(await makeEntra().handle(request("GET", imds(), { scheme: "http" })));
    expect(res.status).toBe(400);
    expect(String(res.body.message)).toMatch(/metadata header/);
  });
});

describe("local Entra ID: verifyAccessToken (the ACS side)", () => {
  async function expectAcsError(promise: Promise<unknown>, status: number) {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AcsHttpError);
    expect((error as AcsHttpError).status).toBe(status);
    return error as AcsHttpError;
  }

  it("accepts a granted principal and refuses an ungranted one with 403", async () => {
    const entra = makeEntra();
    const granted = await entra.verifyAccessToken(
      await clientCredentialsToken(entra, "granted-app", "s3cret"),
    );
    expect(granted.appId).toBe("granted-app");
    const denied = await expectAcsError(
      entra.verifyAccessToken(
        `Bearer ${await clientCredentialsToken(entra, "ungranted-app", "other")}`,
      ),
      403,
    );
    expect(denied.message).toMatch(/no role assignment/);
  });

  it("refuses an expired token with 401", async () => {
    let clock = new Date("2026-01-01T00:00:00Z");
    const entra = makeEntra(() => clock);
    const token = await clientCredentialsToken(entra, "granted-app", "s3cret");
    clock = new Date(clock.getTime() + (ENTRA_DEFAULTS.tokenLifetimeSeconds + 1) * 1000);
    const error = await expectAcsError(entra.verifyAccessToken(token), 401);
    expect(error.message).toMatch(/expired/);
  });

  it("refuses a tampered token and one signed by another emulator instance", async () => {
    const entra = makeEntra();
    const token = await clientCredentialsToken(entra, "granted-app", "s3cret");
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<
      string,
      unknown
    >;
    const forged = Buffer.from(JSON.stringify({ ...claims, appid: "someone-else" })).toString(
      "base64url",
    );
    await expectAcsError(entra.verifyAccessToken(`${header}.${forged}.${signature}`), 401);
    const stranger = makeEntra();
    await expectAcsError(
      entra.verifyAccessToken(await clientCredentialsToken(stranger, "granted-app", "s3cret")),
      401,
    );
  });
});
