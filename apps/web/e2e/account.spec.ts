import { expect, test } from "@playwright/test";
import { countProcedureCalls, newPerson, signIn, signUp } from "./helpers";

test("the account page shows the ACS identity, scopes and a live countdown; refresh and delete work", async ({
  page,
  context,
}, testInfo) => {
  const person = newPerson("Katherine");
  const refreshes = countProcedureCalls(context, "acs.token.refresh");
  await signUp(page, person);
  await page.getByRole("link", { name: "Account" }).click();

  await expect(page.getByRole("heading", { name: "Your ACS identity" })).toBeVisible();
  const acsUserId = page.getByTestId("acs-user-id");
  await expect(acsUserId).toHaveText(/^8:acs:/);
  const firstId = await acsUserId.textContent();
  await expect(page.getByTestId("token-scopes")).toContainText("chat");
  const expiry = page.getByTestId("token-expiry");
  await expect(expiry).toContainText("Expires in");
  // The countdown is live: its text changes without a reload.
  const before = await expiry.textContent();
  await expect(expiry).not.toHaveText(before ?? "");

  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect.poll(() => refreshes.count).toBe(1);
  await expect(page.getByTestId("token-status")).toHaveText("valid");
  await page.screenshot({ path: testInfo.outputPath("account-page.png"), fullPage: true });

  // Deleting asks first; cancelling keeps everything.
  await page.getByRole("button", { name: "Delete my ACS identity" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(acsUserId).toHaveText(firstId ?? "");
  await page.getByRole("button", { name: "Delete my ACS identity" }).click();
  await page.getByRole("button", { name: "Yes, delete it" }).click();
  await expect(page.getByRole("status")).toHaveText(/ACS identity was deleted/);

  // Signing in again gets a new identity.
  await signIn(page, person);
  await expect(page).toHaveURL(/\/chat$/);
  await page.goto("/account");
  await expect(acsUserId).toHaveText(/^8:acs:/);
  await expect(acsUserId).not.toHaveText(firstId ?? "");
});

test("an ended session sends the person to sign in, saying so", async ({ page, context }) => {
  await signUp(page, newPerson("Lin"));
  await page.goto("/account");
  await expect(page.getByTestId("token-status")).toHaveText("valid");
  // The session cookie is gone (expired or cleared): the next token request is refused.
  await context.clearCookies();
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(page).toHaveURL(/reason=session-expired/);
  await expect(page.getByRole("status")).toHaveText(
    "Your session has ended. Sign in again to continue.",
  );
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
});
