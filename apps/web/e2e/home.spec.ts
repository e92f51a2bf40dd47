import { expect, test } from "@playwright/test";

test("the home page says what this is", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "acs-stack" })).toBeVisible();
});
