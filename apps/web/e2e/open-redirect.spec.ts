// After sign-in the app follows `callbackUrl` only to its own paths: a crafted link never lands the
// person on another site, and never fails with a server error.
import { expect, test } from "@playwright/test";
import { newPerson, signUp } from "./helpers";

for (const callbackUrl of [
  "/%09/evil.example/phish",
  "/%5Cevil.example/x",
  "/%0A/evil.example/x",
  "https://evil.example/",
]) {
  test(`sign-in from a link with callbackUrl=${callbackUrl} lands on /chat`, async ({
    page,
    context,
  }) => {
    // Should anything try to leave for evil.example, it is caught here instead of the network.
    const visitedEvil: string[] = [];
    await context.route(
      (url) => url.hostname.endsWith("evil.example"),
      async (route) => {
        visitedEvil.push(route.request().url());
        await route.fulfill({ status: 200, contentType: "text/html", body: "<h1>phished</h1>" });
      },
    );
    const person = newPerson("Redirect");
    await signUp(page, person);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();

    await page.goto(`/?callbackUrl=${callbackUrl}`);
    const form = page.getByRole("form", { name: "Sign in" });
    await form.getByLabel("Email").fill(person.email);
    await form.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();

    await expect(page).toHaveURL(new URL("/chat", page.url()).toString());
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    expect(visitedEvil).toEqual([]);
  });
}
