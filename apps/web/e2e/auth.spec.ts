import { expect, test } from "@playwright/test";
import { newPerson, signIn, signUp } from "./helpers";

test("the home page says what this is and offers both forms", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "acs-stack", level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create account" })).toBeVisible();
});

test("sign up, sign out, sign in again", async ({ page }) => {
  const person = newPerson("Ada");
  await signUp(page, person);
  await expect(page.getByText(person.name)).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await page.goto("/chat");
  await expect(page).toHaveURL(/reason=sign-in-required/);
  await expect(page.getByRole("status")).toHaveText("Sign in to continue.");

  await signIn(page, person);
  await expect(page).toHaveURL(/\/chat$/);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});

// A taken email answers like a new one (no account enumeration): see email-verification.spec.ts.
test("a clear message for a weak password; one answer for unknown email and wrong password", async ({
  page,
}) => {
  const person = newPerson("Grace");
  await signUp(page, person);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();

  const signUpForm = page.getByRole("form", { name: "Create account" });
  await signUpForm.getByLabel("Display name").fill("Someone else");
  await signUpForm.getByLabel("Email").fill(newPerson("Weak").email);
  await signUpForm.getByLabel("Password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(signUpForm.getByRole("alert")).toHaveText(/at least 10 characters/);

  const signInForm = page.getByRole("form", { name: "Sign in" });
  // Whether an account exists is not given away.
  await signIn(page, { email: newPerson("Nobody").email, password: "whatever it is" });
  const unknownEmail = await signInForm.getByRole("alert").textContent();
  await signIn(page, { email: person.email, password: "not the password" });
  await expect(signInForm.getByRole("alert")).toHaveText(unknownEmail ?? "");
  expect(unknownEmail).toMatch(/email and password do not match an account/);
  await expect(page).not.toHaveURL(/\/chat/);
});

test("after 5 wrong passwords from one place even the right one is refused there, with the same message", async ({
  page,
}) => {
  const person = newPerson("Alan");
  await signUp(page, person);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  const signInForm = page.getByRole("form", { name: "Sign in" });
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await signIn(page, { email: person.email, password: `wrong ${attempt}` });
    await expect(signInForm.getByRole("alert")).toHaveText(
      /email and password do not match an account/,
    );
  }
  // Even the right password is refused from here while locked, and the message does not say so.
  await signIn(page, person);
  await expect(signInForm.getByRole("alert")).toHaveText(
    /email and password do not match an account/,
  );
  await expect(page).not.toHaveURL(/\/chat/);
});

test("a display name with a NUL or a right-to-left override is refused with a message, not an error", async ({
  page,
}) => {
  await page.goto("/");
  const form = page.getByRole("form", { name: "Create account" });
  for (const displayName of ["Eve\u0000", "Eve\u202Enimda"]) {
    await form.getByLabel("Email").fill(newPerson("Eve").email);
    await form.getByLabel("Password", { exact: true }).fill("a long passphrase here");
    await form.getByLabel("Display name").fill(displayName);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(form.getByRole("alert")).toHaveText(
      "The display name cannot contain control or text-direction characters.",
    );
  }
});
