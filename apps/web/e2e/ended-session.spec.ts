// A session ended by "Sign out everywhere" is dead at every entry point: a copy of its cookie (a
// stolen cookie, or a device that was not open) changes nothing through pages, server actions,
// /api/trpc or /api/auth/session.
import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { newPerson, signIn, signUp } from "./helpers";

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/** A context holding the copied cookie, with /account open; its tRPC calls are held back so the page
 * stays as it was (no token refresh tells it about the sign-out) and its buttons can be replayed. */
async function staleAccountPage(browser: Browser, stolen: StorageState) {
  const context = await browser.newContext({ storageState: stolen });
  const page = await context.newPage();
  await page.route("**/api/trpc/**", (route) => route.abort());
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Your ACS identity" })).toBeVisible();
  return { context, page };
}

test("a cookie of an ended session runs no server action, page, tRPC call or session read", async ({
  browser,
}) => {
  const person = newPerson("Victim");
  const victim = await browser.newContext();
  const page = await victim.newPage();
  await signUp(page, person);
  await page.goto("/account");
  const acsUserId = page.getByTestId("acs-user-id");
  await expect(acsUserId).toHaveText(/^8:acs:/);
  const identity = await acsUserId.textContent();

  // The attacker copies the session cookie and keeps two pages open with it.
  const stolen = await victim.storageState();
  const forDelete = await staleAccountPage(browser, stolen);
  const forSignOut = await staleAccountPage(browser, stolen);

  // The victim notices and signs out everywhere, then signs in again (a newer session).
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page.getByRole("status")).toHaveText(/signed out on every device/);
  await signIn(page, person);
  await expect(page).toHaveURL(/\/chat$/);

  // Server action: deleting the identity with the dead cookie deletes nothing.
  await forDelete.page.getByRole("button", { name: "Delete my ACS identity" }).click();
  await forDelete.page.getByRole("button", { name: "Yes, delete it" }).click();
  await expect(forDelete.page).toHaveURL(/\/\?reason=revoked$/);
  await page.goto("/account");
  await expect(acsUserId).toHaveText(identity ?? "");

  // Server action: "Sign out everywhere" with the dead cookie does not end the victim's newer session.
  await forSignOut.page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(forSignOut.page).toHaveURL(/\/\?reason=revoked$/);
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/chat$/);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

  // Page, tRPC and the session endpoint, each from a fresh copy of the dead cookie.
  const copy = await browser.newContext({ storageState: stolen });
  const copyPage = await copy.newPage();
  await copyPage.goto("/chat");
  await expect(copyPage).toHaveURL(/\/\?reason=revoked$/);
  await expect(copyPage.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();

  const api = await browser.newContext({ storageState: stolen });
  const origin = new URL(page.url()).origin;
  const issued = await api.request.post("/api/trpc/acs.token.issue", {
    headers: { origin },
    data: {},
  });
  expect(issued.status()).toBe(401);
  const session = await api.request.get("/api/auth/session");
  expect(session.status()).toBe(200);
  expect(await session.json()).toBeNull();

  for (const context of [victim, forDelete.context, forSignOut.context, copy, api])
    await context.close();
});
