import { describe, expect, it } from "vitest";
import { acsConnectSources } from "./acs-origins";
import { oauthFormActionSources } from "./oauth-origins";
import {
  createNonce,
  documentContentSecurityPolicy,
  sendsStrictTransportSecurity,
} from "./security-headers";

const directives = (policy: string): Record<string, string> =>
  Object.fromEntries(
    policy.split("; ").map((d) => [d.split(" ")[0] ?? "", d.split(" ").slice(1).join(" ")]),
  );

describe("the page Content-Security-Policy", () => {
  const production = documentContentSecurityPolicy({
    nonce: "abc",
    connectSources: ["https://127.0.0.1:10443", "http://127.0.0.1:10443"],
    development: false,
    https: false,
  });

  it("runs only the app's scripts carrying this response's nonce, nothing inline or eval'd", () => {
    expect(directives(production)).toMatchObject({
      "script-src": "'self' 'nonce-abc' 'strict-dynamic'",
      "style-src": "'self' 'nonce-abc'",
      "object-src": "'none'",
      "base-uri": "'self'",
      "form-action": "'self'",
      "frame-ancestors": "'none'",
      "connect-src": "'self' https://127.0.0.1:10443 http://127.0.0.1:10443",
    });
    expect(production).not.toContain("unsafe-eval");
    expect(production).not.toContain("upgrade-insecure-requests");
  });

  it("allows eval and inline styles in development only (React's dev overlay, Next's dev styles)", () => {
    const dev = documentContentSecurityPolicy({
      nonce: "n",
      connectSources: [],
      development: true,
      https: false,
    });
    expect(directives(dev)["script-src"]).toBe("'self' 'nonce-n' 'strict-dynamic' 'unsafe-eval'");
    expect(directives(dev)["style-src"]).toBe("'self' 'unsafe-inline'");
  });

  it("upgrades stray http subresources when served over https", () => {
    const https = documentContentSecurityPolicy({
      nonce: "n",
      connectSources: [],
      development: false,
      https: true,
    });
    expect(https.split("; ")).toContain("upgrade-insecure-requests");
  });

  it("lets the sign-in forms lead to the configured OAuth providers only", () => {
    const withProviders = documentContentSecurityPolicy({
      nonce: "n",
      connectSources: [],
      formActionSources: oauthFormActionSources({
        AUTH_MICROSOFT_ENTRA_ID_ID: "id",
        AUTH_MICROSOFT_ENTRA_ID_SECRET: "secret",
        AUTH_MICROSOFT_ENTRA_ID_ISSUER: "https://127.0.0.1:10443/contoso/v2.0",
        AUTH_GITHUB_ID: "gh",
        AUTH_GITHUB_SECRET: "gh-secret",
      }),
      development: false,
      https: false,
    });
    expect(directives(withProviders)["form-action"]).toBe(
      "'self' https://127.0.0.1:10443 https://github.com",
    );
    expect(
      oauthFormActionSources({
        AUTH_MICROSOFT_ENTRA_ID_ID: "id",
        AUTH_MICROSOFT_ENTRA_ID_SECRET: "s",
      }),
    ).toEqual(["https://login.microsoftonline.com"]);
    expect(oauthFormActionSources({ AUTH_MICROSOFT_ENTRA_ID_ID: "id" })).toEqual([]);
  });

  it("uses a fresh 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});

describe("HSTS", () => {
  it("only in production over https", () => {
    expect(sendsStrictTransportSecurity("production", "https://chat.example.com")).toBe(true);
    // The e2e server: next start (production) on http://localhost — HSTS there would pin localhost.
    expect(sendsStrictTransportSecurity("production", "http://localhost:3000")).toBe(false);
    expect(sendsStrictTransportSecurity("development", "https://chat.example.com")).toBe(false);
  });
});

describe("the ACS origins the chat SDK connects to", () => {
  const emulator = { ACS_EMULATOR_HOST: "127.0.0.1", ACS_EMULATOR_PORT: 10443 };

  it("is the local emulator by default, over https and its plain-http loopback twin", () => {
    expect(acsConnectSources(emulator)).toEqual([
      "https://127.0.0.1:10443",
      "http://127.0.0.1:10443",
    ]);
    expect(acsConnectSources({ ...emulator, ACS_EMULATOR_HOST: "0.0.0.0" })).toEqual([
      "https://127.0.0.1:10443",
      "http://127.0.0.1:10443",
    ]);
    expect(acsConnectSources({ ...emulator, ACS_EMULATOR_PORT: 0 })).toEqual([
      "https://127.0.0.1:*",
      "http://127.0.0.1:*",
    ]);
  });

  it("is ACS_ENDPOINT's origin", () => {
    expect(
      acsConnectSources({ ...emulator, ACS_ENDPOINT: "https://contoso.communication.azure.com/" }),
    ).toEqual(["https://contoso.communication.azure.com"]);
  });

  it("is the connection string's endpoint, never its key", () => {
    const sources = acsConnectSources({
      ...emulator,
      ACS_CONNECTION_STRING:
        "endpoint=https://contoso.communication.azure.com/;accesskey=c2VjcmV0;",
    });
    expect(sources).toEqual(["https://contoso.communication.azure.com"]);
  });

  it("is the emulator when ACS_AUTH_MODEL forces it", () => {
    const forced = {
      ...emulator,
      ACS_AUTH_MODEL: "emulator",
      ACS_ENDPOINT: "https://contoso.communication.azure.com/",
    };
    expect(acsConnectSources(forced)).toEqual([
      "https://127.0.0.1:10443",
      "http://127.0.0.1:10443",
    ]);
  });
});
