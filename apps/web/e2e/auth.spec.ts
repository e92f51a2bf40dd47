import { expect, test } from "@playwright/test";
import { newPerson, signIn, signUp } from "./helpers";

test("the home page says what this is and offers both forms", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "acs-stack", level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create account" })).toBeVisible();
});

test("sign up, sign out, sign in again", async ({ page }) => {
  const person = newPerson("Ada");
  await signUp(page, person);
  await expect(page.getByText(person.name)).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await page.goto("/chat");
  await expect(page).toHaveURL(/reason=sign-in-required/);
  await expect(page.getByRole("status")).toHaveText("Sign in to continue.");

  await signIn(page, person);
  await expect(page).toHaveURL(/\/chat$/);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("clear messages for email taken, weak password, unknown email and wrong password", async ({ page }) => {
  const person = newPerson("Grace");
  await signUp(page, person);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();

  const signUpForm = page.getByRole("form", { name: "Create account" });
  await signUpForm.getByLabel("Email").fill(person.email.toUpperCase());
  await signUpForm.getByLabel("Password").fill("another fine passphrase");
  await signUpForm.getByLabel("Display name").fill("Someone else");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(signUpForm.getByRole("alert")).toHaveText(/already exists/);

  await signUpForm.getByLabel("Email").fill(newPerson("Weak").email);
  await signUpForm.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(signUpForm.getByRole("alert")).toHaveText(/at least 10 characters/);

  const signInForm = page.getByRole("form", { name: "Sign in" });
  await signIn(page, { email: newPerson("Nobody").email, password: "whatever it is" });
  await expect(signInForm.getByRole("alert")).toHaveText(/No account uses that email/);

  await signIn(page, { email: person.email, password: "not the password" });
  await expect(signInForm.getByRole("alert")).toHaveText(/password is not right/);
  await expect(page).not.toHaveURL(/\/chat/);
});

test("repeated wrong passwords lock the account for a while", async ({ page }) => {
  const person = newPerson("Alan");
  await signUp(page, person);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  const signInForm = page.getByRole("form", { name: "Sign in" });
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    await signIn(page, { email: person.email, password: `wrong ${attempt}` });
    await expect(signInForm.getByRole("alert")).toHaveText(/password is not right/);
  }
  await signIn(page, { email: person.email, password: "wrong 5" });
  await expect(signInForm.getByRole("alert")).toHaveText(/Too many failed attempts/);
  // Even the right password is refused while locked.
  await signIn(page, person);
  await expect(signInForm.getByRole("alert")).toHaveText(/Too many failed attempts/);
});
