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

test("the display name changes on the account page by keyboard; a bad one is refused with the reason", async ({
  page,
}) => {
  const person = newPerson("Dorothy");
  await signUp(page, person);
  await page.goto("/account");
  const who = page.locator("header .who");
  await expect(who).toHaveText(person.name);

  const form = page.getByRole("form", { name: "Change display name" });
  const field = form.getByRole("textbox", { name: "Display name" });
  await expect(field).toHaveValue(person.name);
  const renamed = person.name.replace("Dorothy", "Dot Vaughan");
  await field.focus();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(renamed);
  await page.keyboard.press("Enter");
  await expect(form.getByRole("status")).toHaveText(`Saved: you are now “${renamed}”.`);
  // The session carries the new name: the header shows it, and so does the page after a reload.
  await expect(who).toHaveText(renamed);
  await page.reload();
  await expect(field).toHaveValue(renamed);
  await expect(who).toHaveText(renamed);

  // Too long: refused with the schema's words, the typed text kept, the saved name unchanged.
  const tooLong = "x".repeat(81);
  await field.fill(tooLong);
  await form.getByRole("button", { name: "Save display name" }).click();
  await expect(form.getByRole("alert")).toHaveText(
    "Too big: expected string to have <=80 characters",
  );
  await expect(field).toHaveValue(tooLong);
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByRole("status")).toHaveCount(0);
  await page.reload();
  await expect(field).toHaveValue(renamed);
});
