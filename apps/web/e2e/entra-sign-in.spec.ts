// "Sign in with Microsoft Entra ID" end to end, offline: the app's next-auth provider against the
// emulator's local Entra ID (its HTML sign-in form, the authorization code flow with PKCE over HTTPS
// with the emulator's CA; playwright.config.ts and e2e/entra.ts). Then the Teams identity on /account,
// and the attacks: no Entra token in anything the browser receives, none in the session cookie, and a
// password user's exchange is refused.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { decode } from "next-auth/jwt";
import { E2E_ENTRA } from "./entra";
import { e2eEnv } from "./env";
import {
  countProcedureCalls,
  messageItem,
  newPerson,
  sendMessage,
  signUp,
  startChatWith,
} from "./helpers";

// The emulator's sign-in page is HTTPS under its local CA, which this throw-away browser does not
// trust (the app's server does, through AUTH_MICROSOFT_ENTRA_ID_CA_FILE).
test.use({ ignoreHTTPSErrors: true });

const { user: grace } = E2E_ENTRA;
/** The session secret playwright.config.ts gives the server (test-only). */
const E2E_AUTH_SECRET = "e2e-only-secret-not-for-production-0123456789";

/** Signs in through the local Entra ID's form and lands on /chat. */
async function signInWithEntra(page: Page) {
  await page.goto("/");
  await page.getByRole("button", { name: "Sign in with Microsoft Entra ID" }).click();
  await expect(page).toHaveURL(
    new RegExp(`^https://127\\.0\\.0\\.1:\\d+/${E2E_ENTRA.tenantId}/oauth2/v2\\.0/authorize\\?`),
  );
  await page.getByLabel("Username").fill(grace.userPrincipalName);
  await page.getByLabel("Password").fill(grace.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/localhost:\d+\/chat$/);
}

const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g;

/** A JWT of the local Entra ID (id_token or access token): it names the tenant or this app. */
function isEntraToken(jwt: string): boolean {
  const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString()) as {
    tid?: unknown;
    appid?: unknown;
    azp?: unknown;
    aud?: unknown;
  };
  return (
    payload.tid === E2E_ENTRA.tenantId ||
    payload.appid === E2E_ENTRA.clientId ||
    payload.azp === E2E_ENTRA.clientId ||
    payload.aud === E2E_ENTRA.clientId ||
    payload.aud === "https://auth.msft.communication.azure.com"
  );
}

/**
 * Everything the app sends this browser context (bodies and headers), checked as it arrives: no
 * Entra JWT and no refresh token of the local Entra ID ("1.emu-rt." + random).
 */
function watchForEntraTokens(context: BrowserContext) {
  const seen = { responses: 0, leaks: [] as string[], pending: [] as Promise<void>[] };
  context.on("response", (response) => {
    const url = new URL(response.url());
    if (url.hostname !== "localhost") return; // the app only (the emulator's own pages are Entra's)
    seen.pending.push(
      (async () => {
        const headers = JSON.stringify(await response.allHeaders());
        const body = await response.text().catch(() => "");
        seen.responses += 1;
        const text = `${headers}\n${body}`;
        if (text.includes("emu-rt.")) seen.leaks.push(`refresh token in ${url.pathname}`);
        for (const jwt of text.match(JWT) ?? [])
          if (isEntraToken(jwt)) seen.leaks.push(`Entra JWT in ${url.pathname}`);
      })(),
    );
  });
  return seen;
}

/** The session cookie, decrypted as the server does: who signed in and how, nothing of Entra's. */
async function sessionClaims(context: BrowserContext) {
  const cookie = (await context.cookies()).find((c) => c.name === "authjs.session-token");
  expect(cookie, "session cookie").toBeDefined();
  return decode({ token: cookie?.value, secret: E2E_AUTH_SECRET, salt: "authjs.session-token" });
}

test("an Entra ID person lands on /chat with an ACS identity, chats, and keeps it on the next sign-in", async ({
  page,
  context,
  browser,
}) => {
  const scan = watchForEntraTokens(context);
  const bob = newPerson("Bob");
  const bobContext = await browser.newContext();
  const bobPage = await bobContext.newPage();
  await signUp(bobPage, bob);

  await signInWithEntra(page);
  await page.goto("/account");
  await expect(page.getByTestId("identity-kind")).toHaveText("ACS user");
  const acsUserId = page.getByTestId("acs-user-id");
  await expect(acsUserId).toHaveText(/^8:acs:/);
  const firstId = await acsUserId.textContent();

  // A chat with a password user, both ways.
  const topic = `Entra ${Date.now().toString(36)}`;
  const threadPath = await startChatWith(page, bob, topic);
  await sendMessage(page, "Hello from Entra ID");
  await bobPage.goto("/chat");
  await bobPage.getByRole("link", { name: new RegExp(topic) }).click();
  await expect(bobPage).toHaveURL(threadPath);
  await expect(messageItem(bobPage, "Hello from Entra ID")).toBeVisible();
  await expect(messageItem(bobPage, "Hello from Entra ID")).toContainText(grace.displayName);
  await sendMessage(bobPage, "Hi Grace");
  await expect(messageItem(page, "Hi Grace")).toBeVisible();

  // Signed out and in again: the same app user, so the same ACS identity.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await signInWithEntra(page);
  await page.goto("/account");
  await expect(acsUserId).toHaveText(firstId ?? "");

  const claims = await sessionClaims(context);
  expect(claims?.signInProvider).toBe("microsoft-entra-id");
  const allowed = new Set([
    "name",
    "email",
    "picture",
    "sub",
    "sid",
    "signInProvider",
    "iat",
    "exp",
    "jti",
  ]);
  expect(Object.keys(claims ?? {}).filter((key) => !allowed.has(key))).toEqual([]);
  expect(JSON.stringify(claims)).not.toMatch(/eyJ|emu-rt|access_token|refresh_token/);
  await Promise.all(scan.pending);
  expect(scan.responses).toBeGreaterThan(10);
  expect(scan.leaks).toEqual([]);
  await bobContext.close();
});

test("an Entra ID person uses their Teams identity on /account and refreshes it; no Entra token reaches the browser", async ({
  page,
  context,
}) => {
  const scan = watchForEntraTokens(context);
  const exchanges = countProcedureCalls(context, "acs.teams.exchangeToken");
  await signInWithEntra(page);
  await page.goto("/account");
  await expect(page.getByTestId("teams-identity-kind")).toHaveText("not in use");
  await expect(page.getByTestId("acs-user-id")).toHaveText(/^8:acs:/);

  await page.getByRole("button", { name: "Use my Teams identity" }).click();
  await expect(page.getByTestId("teams-identity-kind")).toHaveText("Teams user");
  const teamsUserId = page.getByTestId("teams-user-id");
  // Its own identity (the emulator names Teams users by resource and object id), not the chat's one.
  await expect(teamsUserId).toHaveText(/^8:[a-z]+:\S+$/);
  await expect(teamsUserId).not.toHaveText(
    (await page.getByTestId("acs-user-id").textContent()) ?? "",
  );
  const expiry = page.getByTestId("teams-token-expiry");
  await expect(expiry).toContainText("Expires in");
  const firstTeamsId = await teamsUserId.textContent();
  // The ACS identity of the chat is still there, and still an ACS user.
  await expect(page.getByTestId("identity-kind")).toHaveText("ACS user");

  await page.getByRole("button", { name: "Refresh Teams token" }).click();
  await expect.poll(() => exchanges.count).toBe(2);
  await expect(page.getByRole("button", { name: "Refresh Teams token" })).toBeEnabled();
  await expect(teamsUserId).toHaveText(firstTeamsId ?? "");
  await expect(expiry).toContainText("Expires in");
  await expect(page.getByRole("region", { name: "Teams identity" }).getByRole("alert")).toHaveCount(
    0,
  );

  await Promise.all(scan.pending);
  expect(scan.leaks).toEqual([]);

  // The scan is not blind: it recognises a token of this Entra ID when there is one to see.
  const probe = await page.request.post(
    `https://127.0.0.1:${e2eEnv.emulatorPort}/${E2E_ENTRA.tenantId}/oauth2/v2.0/token`,
    {
      form: {
        grant_type: "client_credentials",
        client_id: E2E_ENTRA.clientId,
        client_secret: E2E_ENTRA.clientSecret,
        scope: "https://communication.azure.com/.default",
      },
    },
  );
  const { access_token: entraToken } = (await probe.json()) as { access_token: string };
  expect(entraToken.match(JWT)?.every(isEntraToken)).toBe(true);
});

test("a password user has no Teams identity: no section on /account, and the exchange is refused", async ({
  page,
}) => {
  await signUp(page, newPerson("Mallory"));
  await page.goto("/account");
  await expect(page.getByTestId("acs-user-id")).toHaveText(/^8:acs:/);
  await expect(page.getByRole("heading", { name: "Teams identity" })).toHaveCount(0);

  const refused = await page.request.post("/api/trpc/acs.teams.exchangeToken", {
    headers: { origin: new URL(page.url()).origin },
    data: {},
  });
  expect(refused.status()).toBe(412);
  const body = (await refused.json()) as { error?: { message?: string; data?: { code?: string } } };
  expect(body.error?.data?.code).toBe("PRECONDITION_FAILED");
  expect(body.error?.message).toBe("Sign in with Microsoft Entra ID to use a Teams identity.");
});
