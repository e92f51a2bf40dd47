// The sign-in form in a real browser (Chromium): a person signs in by the labels, the browser follows
// the redirect to the app with code and state, and the code redeems. Attacks from pages: framing the
// form (clickjacking) and posting credentials from another page (login CSRF) both fail.
import http from "node:http";
import type { AddressInfo } from "node:net";

import type { Browser, BrowserContext } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { launchChromium } from "../support/chromium";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { httpsRequest, pkcePair } from "./sign-in-client";

const TENANT = "6b1c2d3e-0000-4000-8000-00000000b10e";
const CLIENT_ID = "browser-app";
const SECRET = "browser-secret";
const USER = { upn: "ada@contoso.onmicrosoft.com", password: "correct horse" };

let emulator: TestEmulator;
let browser: Browser;
let context: BrowserContext;
/** The "app": a loopback server whose pages the test serves, and which records what reaches it. */
let app: http.Server;
let appOrigin: string;
const appRequests: { url: string; referer?: string }[] = [];
let appPage = "";

beforeAll(async () => {
  emulator = await startTestEmulator({
    entra: {
      principals: [
        { tenantId: TENANT, clientId: CLIENT_ID, clientSecret: SECRET, grantedAcsAccess: false },
      ],
      users: [{ userPrincipalName: USER.upn, password: USER.password, displayName: "Ada" }],
    },
  });
  app = http.createServer((req, res) => {
    appRequests.push({ url: req.url ?? "", referer: req.headers.referer });
    res.writeHead(200, { "content-type": "text/html" });
    res.end(req.url?.startsWith("/page") ? appPage : "<title>app</title>");
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  browser = await launchChromium();
  // The emulator's CA is not in Chromium's store (a developer imports ca.pem, see the README).
  context = await browser.newContext({ ignoreHTTPSErrors: true });
});
afterAll(async () => {
  await context.close();
  await browser.close();
  await new Promise((resolve) => app.close(resolve));
  await emulator.close();
});

function authorizeUrl(params: Record<string, string> = {}): string {
  return `${emulator.endpoint}${TENANT}/oauth2/v2.0/authorize?${new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: `${appOrigin}/callback`,
    response_type: "code",
    scope: "openid profile offline_access",
    ...params,
  }).toString()}`;
}

describe("the sign-in form in Chromium", () => {
  it("signs a person in by its labels and redirects to the app with a code that redeems", async () => {
    const { verifier, challenge } = pkcePair();
    const page = await context.newPage();
    await page.goto(
      authorizeUrl({ state: "st-1", code_challenge: challenge, code_challenge_method: "S256" }),
    );
    await page.getByLabel("Username").fill(USER.upn);
    await page.getByLabel("Password").fill(USER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/callback");
    const url = new URL(page.url());
    expect(url.searchParams.get("state")).toBe("st-1");
    // The app is not told where the person came from (the authorize URL).
    const callback = appRequests.find((r) => r.url.includes("state=st-1"));
    expect(callback).toBeDefined();
    expect(callback?.referer).toBeUndefined();
    const answer = await httpsRequest(
      emulator.caCertPem,
      "POST",
      `${emulator.endpoint}${TENANT}/oauth2/v2.0/token`,
      {
        form: {
          grant_type: "authorization_code",
          code: url.searchParams.get("code") ?? "",
          redirect_uri: `${appOrigin}/callback`,
          code_verifier: verifier,
          client_id: CLIENT_ID,
          client_secret: SECRET,
        },
      },
    );
    expect(answer.status).toBe(200);
    await page.close();
  });

  it("shows AADSTS50126 as an alert for a wrong password and stays on the form", async () => {
    const page = await context.newPage();
    await page.goto(authorizeUrl());
    await page.getByLabel("Username").fill(USER.upn);
    await page.getByLabel("Password").fill("wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toBe(
      "AADSTS50126: Error validating credentials due to invalid username or password.",
    );
    await expect(page.getByLabel("Username").inputValue()).resolves.toBe(USER.upn);
    expect(new URL(page.url()).pathname).toBe(`/${TENANT}/oauth2/v2.0/authorize`);
    await page.close();
  });

  it("cannot be framed by another page (clickjacking)", async () => {
    appPage = `<title>frames</title><iframe src="${authorizeUrl()}"></iframe>`;
    const page = await context.newPage();
    await page.goto(`${appOrigin}/page-frame`, { waitUntil: "load" });
    const buttons = await Promise.all(
      page.frames().map((frame) => frame.getByRole("button", { name: "Sign in" }).count()),
    );
    expect(page.frames()).toHaveLength(2);
    expect(buttons).toEqual([0, 0]);
    await page.close();
  });

  it("takes no credentials posted by another page, even one that knows the sign-in's id (login CSRF)", async () => {
    const form = await context.newPage();
    await form.goto(authorizeUrl({ state: "victim" }));
    const flow = await form.locator('input[name="flow"]').inputValue();
    // The attacker's page (another origin) auto-posts its own credentials with that id.
    appPage =
      `<title>attack</title><form method="post" action="${emulator.endpoint}${TENANT}/oauth2/v2.0/authorize">` +
      `<input name="flow" value="${flow}"><input name="username" value="${USER.upn}">` +
      `<input name="password" value="${USER.password}"></form>`;
    const attacker = await context.newPage();
    await attacker.goto(`${appOrigin}/page-csrf`);
    await Promise.all([
      attacker.waitForLoadState("load"),
      attacker.locator("form").evaluate((f: HTMLFormElement) => f.submit()),
    ]);
    await attacker.waitForURL((url) => url.pathname.endsWith("/authorize"));
    await expect(attacker.getByRole("alert").textContent()).resolves.toContain(
      "must be posted from the sign-in page itself",
    );
    expect(appRequests.filter((r) => r.url.includes("state=victim"))).toEqual([]);
    // The person's own form still works.
    await form.getByLabel("Username").fill(USER.upn);
    await form.getByLabel("Password").fill(USER.password);
    await form.getByRole("button", { name: "Sign in" }).click();
    await form.waitForURL((url) => url.searchParams.get("state") === "victim");
    await attacker.close();
    await form.close();
  });
});
