import { describe, expect, it } from "vitest";
import { appOrigins } from "./app-origins";
import { crossSiteRejection, nonJsonBodyRejection } from "./csrf-guard";

const APP = "http://localhost:3000";
const URL_ = `${APP}/api/trpc/acs.identity.delete`;
const origins = new Set([APP]);

function request(init: { method?: string; headers?: Record<string, string>; body?: BodyInit }) {
  return new Request(URL_, {
    method: init.method ?? "POST",
    headers: init.headers,
    body: init.body,
  });
}

/** What the guard does with a request: the status it refuses with, or "admitted". */
function verdict(req: Request): number | "admitted" {
  const refusal = crossSiteRejection(req, origins) ?? nonJsonBodyRejection(req);
  return refusal ? refusal.status : "admitted";
}

function multipart() {
  const form = new FormData();
  form.set("0", "{}");
  return form;
}

describe("cross-site and non-JSON requests to /api/trpc", () => {
  it.each([
    // [case, method, headers, body, expected]
    ["multipart form from the app's own origin", "POST", { origin: APP }, multipart(), 415],
    ["multipart form with no Origin (old browser)", "POST", {}, multipart(), 415],
    [
      "urlencoded form",
      "POST",
      { origin: APP, "content-type": "application/x-www-form-urlencoded" },
      "0=%7B%7D",
      415,
    ],
    ["text/plain body", "POST", { origin: APP, "content-type": "text/plain" }, "{}", 415],
    [
      "octet-stream body",
      "POST",
      { origin: APP, "content-type": "application/octet-stream" },
      "{}",
      415,
    ],
    [
      "JSON from a foreign origin",
      "POST",
      { origin: "https://evil.example", "content-type": "application/json" },
      "{}",
      403,
    ],
    [
      "JSON from a sibling localhost port",
      "POST",
      { origin: "http://localhost:4000", "content-type": "application/json" },
      "{}",
      403,
    ],
    [
      "JSON from 127.0.0.1 instead of localhost",
      "POST",
      { origin: "http://127.0.0.1:3000", "content-type": "application/json" },
      "{}",
      403,
    ],
    [
      "JSON with Origin: null",
      "POST",
      { origin: "null", "content-type": "application/json" },
      "{}",
      403,
    ],
    [
      "multipart form from a foreign origin",
      "POST",
      { origin: "https://evil.example" },
      multipart(),
      403,
    ],
    ["GET from a sibling port (<img>)", "GET", { "sec-fetch-site": "same-site" }, undefined, 403],
    ["GET from another site", "GET", { "sec-fetch-site": "cross-site" }, undefined, 403],
    ["GET with a foreign Origin", "GET", { origin: "https://evil.example" }, undefined, 403],
    [
      "JSON, Sec-Fetch-Site same-site (sibling subdomain)",
      "POST",
      { "sec-fetch-site": "same-site", "content-type": "application/json" },
      "{}",
      403,
    ],
    [
      "JSON, Sec-Fetch-Site cross-site",
      "POST",
      { "sec-fetch-site": "cross-site", "content-type": "application/json" },
      "{}",
      403,
    ],
    [
      "same-origin JSON mutation",
      "POST",
      { origin: APP, "sec-fetch-site": "same-origin", "content-type": "application/json" },
      "{}",
      "admitted",
    ],
    [
      "same-origin JSON with a charset",
      "POST",
      { origin: APP, "content-type": "Application/JSON; charset=utf-8" },
      "{}",
      "admitted",
    ],
    ["same-origin GET query", "GET", { "sec-fetch-site": "same-origin" }, undefined, "admitted"],
    ["URL typed by the person", "GET", { "sec-fetch-site": "none" }, undefined, "admitted"],
    [
      "server-to-server JSON (no browser headers)",
      "POST",
      { "content-type": "application/json" },
      "{}",
      "admitted",
    ],
  ] as const)("%s", (_case, method, headers, body, expected) => {
    expect(verdict(request({ method, headers, body }))).toBe(expected);
  });

  it("answers a refusal in JSON with a readable message", async () => {
    const refusal = crossSiteRejection(
      request({ headers: { origin: "https://evil.example" } }),
      origins,
    );
    expect(refusal?.status).toBe(403);
    expect(await refusal?.json()).toEqual({
      error: { code: "FORBIDDEN", message: "Cross-origin requests to this API are not allowed." },
    });
  });
});

describe("the app's own origins", () => {
  const get = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

  it("is AUTH_URL's origin when set, whatever the request's URL", () => {
    const settings = { AUTH_URL: "https://chat.example.com/api/auth", APP_ALLOWED_ORIGINS: [] };
    expect(appOrigins(get("http://internal:3000/api/trpc/x"), settings)).toEqual(
      new Set(["https://chat.example.com"]),
    );
  });

  it("is the request's own origin without AUTH_URL (npm start on http://localhost:3000)", () => {
    expect(appOrigins(get(URL_), { APP_ALLOWED_ORIGINS: [] })).toEqual(new Set([APP]));
  });

  it("follows the trusted proxy's X-Forwarded-* headers with AUTH_TRUST_HOST", () => {
    const req = get("http://0.0.0.0:3000/api/trpc/x", {
      "x-forwarded-host": "chat.example.com",
      "x-forwarded-proto": "https",
    });
    expect(appOrigins(req, { AUTH_TRUST_HOST: "true", APP_ALLOWED_ORIGINS: [] })).toEqual(
      new Set(["https://chat.example.com"]),
    );
    // Without the trust flag the forwarded headers mean nothing.
    expect(appOrigins(req, { APP_ALLOWED_ORIGINS: [] })).toEqual(new Set(["http://0.0.0.0:3000"]));
  });

  it("adds APP_ALLOWED_ORIGINS", () => {
    const settings = {
      AUTH_URL: "https://chat.example.com",
      APP_ALLOWED_ORIGINS: ["https://www.example.com"],
    };
    const allowed = appOrigins(get(URL_), settings);
    expect(allowed).toEqual(new Set(["https://chat.example.com", "https://www.example.com"]));
    const fromSecondHost = new Request(URL_, { headers: { origin: "https://www.example.com" } });
    expect(crossSiteRejection(fromSecondHost, allowed)).toBeUndefined();
  });
});
