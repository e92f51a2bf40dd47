// The Teams user's Entra token renewed with the refresh_token grant, against the emulator's local
// Entra ID over HTTPS: trusted only through the configured CA file (entra-fetch.ts), refused
// refresh tokens read as "sign in again", and the renewed token is still the person's Teams token.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "@acs-stack/acs-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entraFetch } from "./entra-fetch";
import { TEAMS_SCOPES } from "./settings";
import { EntraRefreshError, refreshEntraTokens } from "./token-refresh";
import type { EntraTokens } from "./token-store";

const TENANT = "00000000-0000-0000-0000-00000000e417";
const CLIENT_ID = "2b5c8e1f-3d4a-4c6b-8e9f-0a1b2c3d4e5f";
const SECRET = "refresh-test-secret";
const USER = { userPrincipalName: "ada@contoso.test", password: "ada's password" };
const REDIRECT_URI = "http://localhost:3999/api/auth/callback/microsoft-entra-id";
const SCOPE = ["openid", "profile", "email", "offline_access", ...TEAMS_SCOPES].join(" ");

/** A JWT's claims (read, not verified: the emulator signed it, the exchange verifies it). */
const decodeJwt = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;

let emulator: RunningEmulator;
let settings: {
  clientId: string;
  clientSecret: string;
  issuer: string;
  scope: string;
  caFile: string;
};

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    inMemory: true,
    logLevel: "silent",
    entra: {
      principals: [
        { tenantId: TENANT, clientId: CLIENT_ID, clientSecret: SECRET, grantedAcsAccess: true },
      ],
      users: [USER],
    },
  });
  const caFile = join(mkdtempSync(join(tmpdir(), "entra-ca-")), "ca.pem");
  writeFileSync(caFile, emulator.caCertPem);
  const origin = emulator.endpoint.replace(/\/$/, "");
  settings = {
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    issuer: `${origin}/${TENANT}/v2.0`,
    scope: SCOPE,
    caFile,
  };
});
afterAll(() => emulator.close());

/** Signs the user in through the form (as a browser would) and redeems the code: the sign-in's tokens. */
async function signInTokens(): Promise<EntraTokens> {
  const fetchEntra = entraFetch(settings);
  const authority = settings.issuer.replace(/\/v2\.0$/, "");
  const query = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: SCOPE,
  });
  const form = await (await fetchEntra(`${authority}/oauth2/v2.0/authorize?${query}`)).text();
  const flow = /name="flow" value="([^"]+)"/.exec(form)?.[1] ?? "";
  const answer = await fetchEntra(`${authority}/oauth2/v2.0/authorize`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: new URL(authority).origin,
      "sec-fetch-site": "same-origin",
    },
    body: new URLSearchParams({ flow, username: USER.userPrincipalName, password: USER.password }),
  });
  const code = new URL(answer.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const tokens = (await (
    await fetchEntra(`${authority}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID,
        client_secret: SECRET,
        scope: SCOPE,
      }),
    })
  ).json()) as { access_token: string; refresh_token: string };
  const { oid } = decodeJwt(tokens.access_token);
  return {
    objectId: String(oid),
    tenantId: TENANT,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: new Date(Date.now() - 1000),
  };
}

describe("refreshEntraTokens", () => {
  it("renews an expired Teams token with the refresh token", async () => {
    const signedIn = await signInTokens();
    expect(signedIn.refreshToken).toMatch(/\S{20,}/);
    const renewed = await refreshEntraTokens(signedIn, settings, entraFetch(settings));
    if (renewed === "revoked") throw new Error("refused");
    // (Within one second the emulator may sign the very same token again: no jti, same iat.)
    expect(renewed.accessToken).toMatch(/^eyJ/);
    expect(renewed.expiresAt.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
    expect(renewed.objectId).toBe(signedIn.objectId);
    const claims = decodeJwt(renewed.accessToken);
    expect(claims).toMatchObject({
      aud: "https://auth.msft.communication.azure.com",
      oid: signedIn.objectId,
      tid: TENANT,
    });
    expect(String(claims.scp).split(" ").sort()).toEqual([
      "Teams.ManageCalls",
      "Teams.ManageChats",
    ]);
    expect(claims.appid ?? claims.azp).toBe(CLIENT_ID);
    // The renewed refresh token works again.
    const again = await refreshEntraTokens(renewed, settings, entraFetch(settings));
    expect(again).not.toBe("revoked");
  });

  it('answers "revoked" for a refresh token Entra does not know (sign in again)', async () => {
    const signedIn = await signInTokens();
    const forged = { ...signedIn, refreshToken: "1.emu-rt.not-issued-by-this-entra" };
    expect(await refreshEntraTokens(forged, settings, entraFetch(settings))).toBe("revoked");
    expect(
      await refreshEntraTokens({ ...signedIn, refreshToken: null }, settings, entraFetch(settings)),
    ).toBe("revoked");
  });

  it("says why without quoting any token when the client secret is wrong", async () => {
    const signedIn = await signInTokens();
    const wrong = { ...settings, clientSecret: "not the secret" };
    const failure = await refreshEntraTokens(signedIn, wrong, entraFetch(settings)).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(EntraRefreshError);
    const message = (failure as Error).message;
    expect(message).toMatch(/^Entra ID refused the token refresh \(HTTP 401, invalid_client\)\.$/);
    expect(message).not.toContain(signedIn.refreshToken ?? "-");
  });

  it("reaches the emulator only through the configured CA", async () => {
    const untrusted = entraFetch({ issuer: settings.issuer, caFile: undefined });
    await expect(
      untrusted(`${settings.issuer}/.well-known/openid-configuration`),
    ).rejects.toThrow();
    // A CA file that cannot be read fails the Entra requests only, not the building of the provider.
    const missing = entraFetch({ issuer: settings.issuer, caFile: "/nonexistent/ca.pem" });
    await expect(missing(`${settings.issuer}/.well-known/openid-configuration`)).rejects.toThrow(
      /ENOENT/,
    );
    const trusted = await entraFetch(settings)(
      `${settings.issuer}/.well-known/openid-configuration`,
    );
    expect(((await trusted.json()) as { issuer: string }).issuer).toBe(settings.issuer);
  });
});
