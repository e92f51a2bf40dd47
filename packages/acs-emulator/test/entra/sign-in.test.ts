// The local Entra ID as a sign-in provider, over real HTTPS: the authorization-code flow with PKCE
// as a web app (next-auth) runs it — discovery, the sign-in form, the redirect with code and state,
// the code redeemed with the client's secret, the id_token verified against the JWKS, refresh — and
// each refusal Entra gives.
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TEAMS_AUDIENCE } from "../../src/entra";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { basicAuth, flowOf, httpsRequest, pkcePair, type HttpAnswer } from "./sign-in-client";

const TENANT = "5a1b2c3d-0000-4000-8000-00000000a11e";
const CLIENT_ID = "8f6c7a3e-1d2b-4c5d-9e8f-0a1b2c3d4e5f";
const SECRET = "web app secret";
const OTHER_CLIENT = "other-app";
const REDIRECT_URI = "http://localhost:3999/api/auth/callback/microsoft-entra-id";
const USER = { upn: "ada@contoso.onmicrosoft.com", password: "correct horse" };

let emulator: TestEmulator;
let clockOffsetMs = 0;
let origin: string;
let authority: string;

beforeAll(async () => {
  emulator = await startTestEmulator({
    now: () => new Date(Date.now() + clockOffsetMs),
    entra: {
      principals: [
        { tenantId: TENANT, clientId: CLIENT_ID, clientSecret: SECRET, grantedAcsAccess: true },
        { tenantId: TENANT, clientId: OTHER_CLIENT, clientSecret: "other", grantedAcsAccess: true },
      ],
      users: [
        {
          userPrincipalName: USER.upn,
          password: USER.password,
          displayName: "Ada Lovelace",
          email: "ada@contoso.example",
        },
        { userPrincipalName: "grace@contoso.onmicrosoft.com", password: "other password" },
      ],
      redirectUris: ["https://app.example/api/auth/callback/microsoft-entra-id"],
    },
  });
  origin = emulator.endpoint.replace(/\/$/, "");
  authority = `${origin}/${TENANT}`;
});
afterAll(async () => {
  await emulator.close();
});

const get = (url: string, headers?: Record<string, string>) =>
  httpsRequest(emulator.caCertPem, "GET", url, { headers });
const post = (url: string, form: Record<string, string>, headers?: Record<string, string>) =>
  httpsRequest(emulator.caCertPem, "POST", url, { form, headers });

function authorizeUrl(params: Record<string, string>): string {
  return `${authority}/oauth2/v2.0/authorize?${new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: "openid profile email offline_access",
    ...params,
  }).toString()}`;
}

/** Posts credentials as the browser does from the form: same-origin. */
function submit(flow: string, username: string, password: string): Promise<HttpAnswer> {
  return post(
    `${authority}/oauth2/v2.0/authorize`,
    { flow, username, password },
    { origin, "sec-fetch-site": "same-origin" },
  );
}

/** Signs in and returns the redirect's query. */
async function signIn(params: Record<string, string>): Promise<URLSearchParams> {
  const form = await get(authorizeUrl(params));
  expect(form.status).toBe(200);
  const answer = await submit(flowOf(form.text), USER.upn, USER.password);
  expect(answer.status).toBe(302);
  const location = new URL(answer.headers.location ?? "");
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return location.searchParams;
}

const token = (form: Record<string, string>, headers?: Record<string, string>) =>
  post(`${authority}/oauth2/v2.0/token`, form, headers);

async function jwks(): Promise<ReturnType<typeof createLocalJWKSet>> {
  const discovery = (await get(`${authority}/v2.0/.well-known/openid-configuration`)).json<{
    jwks_uri: string;
  }>();
  return createLocalJWKSet((await get(discovery.jwks_uri)).json<JSONWebKeySet>());
}

describe("authorization code + PKCE, as next-auth runs it", () => {
  it("publishes the v2.0 discovery document of the tenant", async () => {
    const answer = await get(`${authority}/v2.0/.well-known/openid-configuration`);
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({
      issuer: `${authority}/v2.0`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
      userinfo_endpoint: `${origin}/oidc/userinfo`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
    });
    // Like Entra's, it does not advertise code_challenge_methods_supported.
    expect(answer.json()).not.toHaveProperty("code_challenge_methods_supported");
  });

  it("shows a labelled, unframeable sign-in form with a strict CSP and no external assets", async () => {
    const answer = await get(authorizeUrl({ state: "s1" }));
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(answer.headers["x-frame-options"]).toBe("DENY");
    const csp = answer.headers["content-security-policy"] ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' http://localhost:3999");
    expect(answer.headers["cache-control"]).toBe("no-store");
    expect(answer.text).toContain('<label for="username">Username</label>');
    expect(answer.text).toContain('<label for="password">Password</label>');
    expect(answer.text).toContain('<button type="submit">Sign in</button>');
    expect(answer.text).not.toMatch(/<script|src=|href=/);
  });

  it("signs in, redirects with code and state, redeems the code for verified tokens, refreshes", async () => {
    const { verifier, challenge } = pkcePair();
    const query = await signIn({
      state: "state-123",
      nonce: "nonce-456",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    expect(query.get("state")).toBe("state-123");
    const code = query.get("code") ?? "";
    expect(code).not.toBe("");

    // client_secret_basic, as next-auth sends it (id and secret form-urlencoded: the space is '+').
    const answer = await token(
      {
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      },
      { authorization: basicAuth(CLIENT_ID, SECRET) },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers["cache-control"]).toBe("no-store");
    const tokens = answer.json<Record<string, string>>();
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const { payload, protectedHeader } = await jwtVerify(tokens.id_token ?? "", await jwks(), {
      issuer: `${authority}/v2.0`,
      audience: CLIENT_ID,
      algorithms: ["RS256"],
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({
      tid: TENANT,
      preferred_username: USER.upn,
      name: "Ada Lovelace",
      email: "ada@contoso.example",
      nonce: "nonce-456",
      ver: "2.0",
    });
    expect(payload.oid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(typeof payload.sub).toBe("string");
    for (const claim of ["iat", "nbf", "exp"]) expect(typeof payload[claim]).toBe("number");

    // The code is single-use.
    const again = await token(
      {
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      },
      { authorization: basicAuth(CLIENT_ID, SECRET) },
    );
    expect(again.status).toBe(400);
    expect(again.json()).toMatchObject({ error: "invalid_grant", error_codes: [54005] });
    expect(again.json().error_description).toMatch(
      /^AADSTS54005: OAuth2 Authorization code was already redeemed/,
    );

    // Refresh (client_secret_post), same person; then for the Teams scopes of the same refresh token.
    const refreshed = await token({
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token ?? "",
      client_id: CLIENT_ID,
      client_secret: SECRET,
    });
    expect(refreshed.status).toBe(200);
    const idAgain = decodeJwt(refreshed.json<Record<string, string>>().id_token ?? "");
    expect(idAgain.oid).toBe(payload.oid);
    expect(idAgain.sub).toBe(payload.sub);

    const teams = await token({
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token ?? "",
      client_id: CLIENT_ID,
      client_secret: SECRET,
      scope: `${TEAMS_AUDIENCE}/Teams.ManageCalls ${TEAMS_AUDIENCE}/Teams.ManageChats offline_access`,
    });
    expect(teams.status).toBe(200);
    const teamsToken = teams.json<Record<string, string>>().access_token ?? "";
    const { payload: access } = await jwtVerify(teamsToken, await jwks(), {
      audience: TEAMS_AUDIENCE,
    });
    expect(access).toMatchObject({
      scp: "Teams.ManageCalls Teams.ManageChats",
      appid: CLIENT_ID,
      azp: CLIENT_ID,
      oid: payload.oid,
      tid: TENANT,
    });
  });

  it("answers the userinfo endpoint for the sign-in's access token", async () => {
    const query = await signIn({});
    const tokens = (
      await token({
        grant_type: "authorization_code",
        code: query.get("code") ?? "",
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID,
        client_secret: SECRET,
      })
    ).json<Record<string, string>>();
    const info = await get(`${origin}/oidc/userinfo`, {
      authorization: `Bearer ${tokens.access_token ?? ""}`,
    });
    expect(info.status).toBe(200);
    expect(info.json()).toMatchObject({
      sub: decodeJwt(tokens.id_token ?? "").sub,
      name: "Ada Lovelace",
    });
    expect((await get(`${origin}/oidc/userinfo`, { authorization: "Bearer x.y.z" })).status).toBe(
      401,
    );
  });

  it("issues tokens without a sign-in for tests (issueUserAccessToken), expired on request", async () => {
    const scopes = [`${TEAMS_AUDIENCE}/Teams.ManageCalls`, `${TEAMS_AUDIENCE}/Teams.ManageChats`];
    const issued = await emulator.entra?.issueUserAccessToken({
      clientId: CLIENT_ID,
      userPrincipalName: USER.upn,
      scopes,
    });
    const { payload } = await jwtVerify(issued ?? "", await jwks(), {
      audience: TEAMS_AUDIENCE,
      issuer: `${authority}/v2.0`,
    });
    expect(payload).toMatchObject({ appid: CLIENT_ID, tid: TENANT, preferred_username: USER.upn });
    const expired = await emulator.entra?.issueUserAccessToken({
      clientId: CLIENT_ID,
      userPrincipalName: USER.upn,
      scopes,
      lifetimeSeconds: 0,
    });
    await expect(jwtVerify(expired ?? "", await jwks())).rejects.toThrow(/"exp" claim/);
  });
});

describe("refusals, as Entra gives them", () => {
  it("wrong credentials re-show the form with AADSTS50126, the username escaped, and no redirect", async () => {
    const form = await get(authorizeUrl({}));
    const flow = flowOf(form.text);
    for (const [username, password] of [
      [USER.upn, "wrong"],
      ['<img src=x onerror="alert(1)">', USER.password],
      ["grace@contoso.onmicrosoft.com", USER.password],
    ] as const) {
      const answer = await submit(flow, username, password);
      expect(answer.status).toBe(200);
      expect(answer.headers.location).toBeUndefined();
      expect(answer.text).toContain(
        "AADSTS50126: Error validating credentials due to invalid username or password.",
      );
      expect(answer.text).not.toContain("<img");
      expect(answer.text).not.toContain(password);
    }
    expect(flowOf((await submit(flow, "x", "y")).text)).toBe(flow);
    // The same form still signs in with the right password.
    expect((await submit(flow, USER.upn, USER.password)).status).toBe(302);
  });

  it("an unknown client gets the AADSTS700016 page, never a redirect", async () => {
    const answer = await get(authorizeUrl({ client_id: "<b>nope</b>" }));
    expect(answer.status).toBe(200);
    expect(answer.headers.location).toBeUndefined();
    expect(answer.text).toContain(
      `AADSTS700016: Application with identifier &#39;&lt;b&gt;nope&lt;/b&gt;&#39; was not found in the directory &#39;${TENANT}&#39;.`,
    );
    expect(answer.headers["x-frame-options"]).toBe("DENY");
  });

  it("a redirect URI not registered gets the AADSTS50011 page, never a redirect to it", async () => {
    for (const redirectUri of [
      "https://evil.example/cb",
      "http://localhost.evil.example/cb",
      "https://localhost:3999/cb",
    ]) {
      const answer = await get(authorizeUrl({ redirect_uri: redirectUri, state: "s" }));
      expect(answer.status).toBe(200);
      expect(answer.headers.location).toBeUndefined();
      expect(answer.text).toContain(`AADSTS50011: The redirect URI &#39;${redirectUri}&#39;`);
    }
    // A configured one and any loopback http URI are allowed.
    for (const redirectUri of [
      "https://app.example/api/auth/callback/microsoft-entra-id",
      "http://127.0.0.1:8080/other/path",
    ]) {
      expect(flowOf((await get(authorizeUrl({ redirect_uri: redirectUri }))).text)).not.toBe("");
    }
  });

  it("an unsupported response_type redirects back with unsupported_response_type and the state", async () => {
    const answer = await get(authorizeUrl({ response_type: "token", state: "st" }));
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.location ?? "");
    expect(location.searchParams.get("error")).toBe("unsupported_response_type");
    expect(location.searchParams.get("error_description")).toMatch(/^AADSTS700054: /);
    expect(location.searchParams.get("state")).toBe("st");
  });

  it("a PKCE mismatch or a missing code_verifier is invalid_grant AADSTS501481", async () => {
    for (const verifierOf of [() => pkcePair().verifier, () => undefined]) {
      const { challenge } = pkcePair();
      const query = await signIn({ code_challenge: challenge, code_challenge_method: "S256" });
      const verifier = verifierOf();
      const answer = await token({
        grant_type: "authorization_code",
        code: query.get("code") ?? "",
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID,
        client_secret: SECRET,
        ...(verifier !== undefined ? { code_verifier: verifier } : {}),
      });
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({
        error: "invalid_grant",
        error_codes: [501481],
        error_description:
          "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.",
      });
    }
  });

  it("an expired code is invalid_grant AADSTS70008", async () => {
    const query = await signIn({});
    clockOffsetMs = 11 * 60 * 1000;
    try {
      const answer = await token({
        grant_type: "authorization_code",
        code: query.get("code") ?? "",
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID,
        client_secret: SECRET,
      });
      expect(answer.json()).toMatchObject({ error: "invalid_grant", error_codes: [70008] });
    } finally {
      clockOffsetMs = 0;
    }
  });

  it("a code is bound to its client and redirect URI, and needs the client's secret", async () => {
    const redeem = async (fields: Record<string, string>) =>
      token({
        grant_type: "authorization_code",
        code: (await signIn({})).get("code") ?? "",
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID,
        client_secret: SECRET,
        ...fields,
      });
    const otherClient = await redeem({ client_id: OTHER_CLIENT, client_secret: "other" });
    expect(otherClient.json()).toMatchObject({ error: "invalid_grant", error_codes: [70000] });
    const otherRedirect = await redeem({ redirect_uri: "http://localhost:3999/elsewhere" });
    expect(otherRedirect.json()).toMatchObject({ error: "invalid_grant", error_codes: [70000] });
    const wrongSecret = await redeem({ client_secret: "guess" });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.json()).toMatchObject({ error: "invalid_client", error_codes: [7000215] });
  });

  it("refuses credentials posted by another site's page (login CSRF)", async () => {
    const flow = flowOf((await get(authorizeUrl({}))).text);
    const url = `${authority}/oauth2/v2.0/authorize`;
    const form = { flow, username: USER.upn, password: USER.password };
    // An origin outside the CORS list: the pipeline's 403.
    const evil = await post(url, form, { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    // A page of an allowed origin that is not the sign-in page, and a cross-site form without Origin.
    const foreignPosts: Record<string, string>[] = [
      { origin: "http://localhost:3999", "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of foreignPosts) {
      const answer = await post(url, form, headers);
      expect(answer.status).toBe(200);
      expect(answer.headers.location).toBeUndefined();
      expect(answer.text).toContain("must be posted from the sign-in page itself");
    }
    // The pending sign-in is still usable from the page itself.
    expect((await submit(flow, USER.upn, USER.password)).status).toBe(302);
    // …once.
    expect((await submit(flow, USER.upn, USER.password)).text).toContain("expired or is unknown");
  });

  it("mixing Graph and Teams scopes is AADSTS28000 (one resource per token), redirected", async () => {
    const answer = await get(
      authorizeUrl({ scope: `openid User.Read ${TEAMS_AUDIENCE}/Teams.ManageCalls` }),
    );
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.location ?? "");
    expect(location.searchParams.get("error")).toBe("invalid_scope");
    expect(location.searchParams.get("error_description")).toMatch(/^AADSTS28000: /);
  });
});
