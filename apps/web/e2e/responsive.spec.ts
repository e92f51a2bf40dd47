// Phone first: at a phone's size and at a desktop's, no page scrolls sideways, "Sign out"
// is reachable (behind "Menu" on the phone, in the header on the desktop), the thread's "Send" stays
// in view, and the phone's header controls are at least 44 px. Each page's full-page screenshot is
// written to test-results/screenshots/<page>-<size>.png for a reviewer.
import { join } from "node:path";
import { expect, test, type Locator, type Page, type TestInfo } from "@playwright/test";
import { messageItem, newPerson, sendMessage, signUp, startChatWith } from "./helpers";

const SIZES = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false },
} as const;
type Size = keyof typeof SIZES;

/** The smallest touch target on the phone (WCAG 2.5.5), in CSS px. */
const TOUCH_PX = 44;

async function expectNoSideScroll(page: Page, size: Size | number) {
  const width = typeof size === "number" ? size : SIZES[size].viewport.width;
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  // Compared with the width asked for too: a mobile browser widens its layout viewport to fit content.
  expect(widths).toEqual({ scroll: width, inner: width });
}

async function screenshot(page: Page, testInfo: TestInfo, name: string, size: Size) {
  await page.screenshot({
    path: join(testInfo.project.outputDir, "screenshots", `${name}-${size}.png`),
    fullPage: true,
  });
}

async function expectTouchTarget(locator: Locator) {
  const box = await locator.boundingBox();
  expect(box, "the control is laid out").not.toBeNull();
  expect(box!.height).toBeGreaterThanOrEqual(TOUCH_PX);
  expect(box!.width).toBeGreaterThanOrEqual(TOUCH_PX);
}

const signOutButton = (page: Page) => page.getByRole("button", { name: "Sign out", exact: true });
const menuButton = (page: Page) => page.getByRole("button", { name: "Menu", exact: true });

/** "Sign out" can be reached: on the phone by opening "Menu", on the desktop right in the header. */
async function expectSignOutReachable(page: Page, size: Size) {
  if (size === "desktop") {
    await expect(menuButton(page)).toBeHidden();
    await expect(signOutButton(page)).toBeInViewport({ ratio: 1 });
    return;
  }
  await expect(signOutButton(page)).toBeHidden();
  await expect(menuButton(page)).toHaveAttribute("aria-expanded", "false");
  await menuButton(page).click();
  await expect(menuButton(page)).toHaveAttribute("aria-expanded", "true");
  await expect(signOutButton(page)).toBeInViewport({ ratio: 1 });
  await signOutButton(page).click({ trial: true });
  await expectNoSideScroll(page, size);
  // Escape closes the menu and gives the focus back to its button.
  await page.keyboard.press("Escape");
  await expect(menuButton(page)).toHaveAttribute("aria-expanded", "false");
  await expect(menuButton(page)).toBeFocused();
  await expect(signOutButton(page)).toBeHidden();
}

async function expectHeaderTouchTargets(page: Page) {
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of ["acs-stack", "Chats", "Account"]) {
    await expectTouchTarget(nav.getByRole("link", { name, exact: true }));
  }
  await expectTouchTarget(menuButton(page));
  await menuButton(page).click();
  await expectTouchTarget(signOutButton(page));
  const status = page.getByRole("combobox", { name: "Status" });
  await expect(status).toBeVisible();
  await expectTouchTarget(status);
  await expectTouchTarget(page.getByRole("textbox", { name: "Status text" }));
  await menuButton(page).click();
  await expect(signOutButton(page)).toBeHidden();
}

/** Between the two sizes: the menu gives way to the header row at 1024 px, and nothing overflows. */
async function expectBreakpoints(page: Page) {
  const height = SIZES.phone.viewport.height;
  for (const width of [320, 600, 768, 1023, 1024]) {
    await page.setViewportSize({ width, height });
    await expectNoSideScroll(page, width);
    await expect(menuButton(page)).toBeVisible({ visible: width < 1024 });
    await expect(signOutButton(page)).toBeVisible({ visible: width >= 1024 });
  }
  await page.setViewportSize(SIZES.phone.viewport);
}

for (const size of Object.keys(SIZES) as Size[]) {
  test.describe(`at ${size} size`, () => {
    test.use(SIZES[size]);

    test("the signed-out pages fit the width", async ({ page }, testInfo) => {
      for (const [name, path] of [
        ["home", "/"],
        ["forgot-password", "/forgot-password"],
        ["reset-password", "/reset-password"],
        ["verify-email", "/verify-email"],
      ] as const) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectNoSideScroll(page, size);
        await screenshot(page, testInfo, name, size);
      }
      await expect(menuButton(page)).toHaveCount(0);
    });

    test("the signed-in pages fit the width; Sign out and Send are reachable", async ({
      page,
      browser,
    }, testInfo) => {
      const bob = newPerson("Bob");
      const bobContext = await browser.newContext();
      await signUp(await bobContext.newPage(), bob);
      const ada = newPerson("Ada");
      await signUp(page, ada);

      // /chat (where signing up lands)
      await expect(page.getByRole("button", { name: "New chat" })).toBeVisible();
      await expectNoSideScroll(page, size);
      await expectSignOutReachable(page, size);
      await screenshot(page, testInfo, "chat", size);
      if (size === "phone") {
        await expectHeaderTouchTargets(page);
        await expectBreakpoints(page);
        await menuButton(page).click();
        await screenshot(page, testInfo, "chat-menu-open", size);
        // Going to another page (by keyboard: no click outside the menu) closes the menu.
        const accountLink = page
          .getByRole("navigation", { name: "Main" })
          .getByRole("link", { name: "Account" });
        await accountLink.focus();
        await accountLink.press("Enter");
        await expect(page).toHaveURL(/\/account$/);
        await expect(menuButton(page)).toHaveAttribute("aria-expanded", "false");
        await page.goBack();
        await expect(page.getByRole("button", { name: "New chat" })).toBeVisible();
      }

      // The new-chat dialog fits too.
      await page.getByRole("button", { name: "New chat" }).click();
      const dialog = page.getByRole("dialog", { name: "New chat" });
      await expect(dialog).toBeInViewport({ ratio: 1 });
      await expectNoSideScroll(page, size);
      await page.keyboard.press("Escape");
      await expect(dialog).toBeHidden();

      // /chat/[threadId], with enough messages to fill the list: "Send" stays in view.
      await startChatWith(page, bob, "Layout check with a topic long enough to need wrapping");
      for (let i = 1; i <= 8; i += 1) {
        await sendMessage(page, `Message ${i}: ${"a few words to fill the line ".repeat(i % 3)}`);
        await expect(messageItem(page, `Message ${i}:`)).toBeVisible();
      }
      await expect(page.getByRole("button", { name: "Send" })).toBeInViewport({ ratio: 1 });
      await expect(page.getByRole("textbox", { name: "Message" })).toBeInViewport({ ratio: 1 });
      await expectNoSideScroll(page, size);
      await expectSignOutReachable(page, size);
      await screenshot(page, testInfo, "thread", size);

      // /account
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Account" })
        .click();
      await expect(page).toHaveURL(/\/account$/);
      await expect(page.getByTestId("token-status")).toHaveText("valid");
      await expectNoSideScroll(page, size);
      await expectSignOutReachable(page, size);
      await screenshot(page, testInfo, "account", size);

      // / signed in: no dead end, on to the chats (the start page is for signing in).
      await page.goto("/");
      await expect(page).toHaveURL(/\/chat$/);
      await expect(page.getByRole("heading", { name: "Chats", exact: true })).toBeVisible();
      await expectNoSideScroll(page, size);

      // Signing out works from where it is reachable.
      if (size === "phone") await menuButton(page).click();
      await signOutButton(page).click();
      await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
      await bobContext.close();
    });
  });
}
