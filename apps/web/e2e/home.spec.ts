// The start page (`/`) as a Pages Router page with no runtime JavaScript (src/pages/index.tsx): its
// forms are HTML posts answered 303 (Post/Redirect/Get); a refused post shows its message once,
// keeps the typed email (never the password); a visitor already signed in goes on to their chats;
// the unsent-messages notice is its one script.
import { expect, test } from "@playwright/test";
import { newPerson, signIn, signUp } from "./helpers";

test("the start page loads no React: one small script, and the forms work without it", async ({
  page,
}) => {
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
  });
  await page.goto("/");
  await expect(page.getByRole("form", { name: "Sign in" })).toBeVisible();
  expect(scripts).toEqual(["/unsent-notice.js"]);
  // No framework data in the HTML either.
  expect(await page.locator("#__NEXT_DATA__").count()).toBe(0);
});

test("a refused sign-in comes back once, with the email kept and the password not", async ({
  page,
}) => {
  const person = newPerson("Flash");
  const posts: number[] = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname === "/auth/sign-in") posts.push(response.status());
  });
  await signIn(page, { email: person.email, password: "not a password of anyone" });
  const form = page.getByRole("form", { name: "Sign in" });
  await expect(form.getByRole("alert")).toHaveText(/email and password do not match an account/);
  await expect(page).toHaveURL(/\/$/);
  expect(posts).toEqual([303]);
  await expect(form.getByLabel("Email")).toHaveValue(person.email);
  await expect(form.getByLabel("Password", { exact: true })).toHaveValue("");
  const flash = (await page.context().cookies()).find((c) => c.name === "acs-form-flash");
  expect(flash, "the flash cookie is removed once read").toBeUndefined();

  // Read once: a reload shows the plain form.
  await page.reload();
  await expect(form.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await expect(form.getByRole("alert")).toHaveCount(0);
  await expect(form.getByLabel("Email")).toHaveValue("");
});

test("a forged or foreign flash cookie puts no words on the page", async ({ page, baseURL }) => {
  const forged = Buffer.from(
    JSON.stringify({
      form: "sign-in",
      at: Math.floor(Date.now() / 1000),
      state: { error: "Your account is locked. Call +1 555 0100." },
    }),
  ).toString("base64url");
  await page
    .context()
    .addCookies([
      { name: "acs-form-flash", value: `${forged}.AAAA`, url: baseURL!, httpOnly: true },
    ]);
  await page.goto("/");
  await expect(page.getByRole("form", { name: "Sign in" })).toBeVisible();
  await expect(page.getByText("Your account is locked")).toHaveCount(0);
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("a signed-in visitor of / goes on to the chats, or to a callbackUrl of this site", async ({
  page,
}) => {
  await signUp(page, newPerson("Returning"));
  await page.goto("/");
  await expect(page).toHaveURL(/\/chat$/);
  await page.goto("/?callbackUrl=%2Faccount");
  await expect(page).toHaveURL(/\/account$/);
  await page.goto("/?callbackUrl=https%3A%2F%2Fevil.example%2F");
  await expect(page).toHaveURL(/\/chat$/);
});

test("the unsent-messages notice lists what this tab kept, as text, until dismissed", async ({
  page,
}) => {
  await page.goto("/");
  const texts = ["first <b>draft</b>", "second one"];
  await page.evaluate(
    (stash) => sessionStorage.setItem("acs-stack:unsent", stash),
    JSON.stringify(texts),
  );
  await page.reload();
  const notice = page.getByRole("alert").filter({ hasText: "were not sent" });
  await expect(notice).toContainText("2 messages were not sent because your session ended.");
  await expect(notice.getByRole("listitem")).toHaveText(texts);
  // Shown as text, not markup.
  await expect(notice.locator("b")).toHaveCount(0);

  await notice.getByRole("button", { name: "Dismiss" }).click();
  await expect(notice).toHaveCount(0);
  expect(await page.evaluate(() => sessionStorage.getItem("acs-stack:unsent"))).toBeNull();
  await page.reload();
  await expect(page.getByRole("alert")).toHaveCount(0);
});
