// Accessible by test: axe-core on every page at phone and desktop sizes, signed out and in, with
// each dialog open (no violation of impact serious or critical); exact field names with hints as
// descriptions; dialogs that keep focus inside, close on Escape and give focus back; and the
// favicon and web app manifest, loadable signed out under the page's CSP.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { latestMail, linkIn, SUBJECTS } from "./mail";
import { newPerson, signUp, startChatWith, submitSignUp, mailSentNotice } from "./helpers";

const SIZES = [
  { name: "phone", viewport: { width: 390, height: 844 } },
  { name: "desktop", viewport: { width: 1280, height: 800 } },
] as const;

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/** What beforeAll prepares once: a signed-in person in a chat, and live mailed links. */
const world = {} as {
  signedIn: StorageState;
  threadPath: string;
  resetLink: string;
  confirmLink: string;
};

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(180_000);
  const [ada, bob, cleo] = [newPerson("Ada"), newPerson("Bob"), newPerson("Cleo")];
  await withPage(browser, (page) => signUp(page, bob));
  await withPage(browser, async (page) => {
    await signUp(page, ada);
    world.threadPath = await startChatWith(page, bob, "Accessible");
    world.signedIn = await page.context().storageState();
  });
  await withPage(browser, async (page) => {
    // A reset link for Ada and a confirmation link for Cleo (opening them only looks: still usable).
    await page.goto("/forgot-password");
    await page.getByLabel("Email", { exact: true }).fill(ada.email);
    await page.getByRole("button", { name: "Send me a reset link" }).click();
    await expect(mailSentNotice(page)).toBeVisible();
    world.resetLink = linkIn(await latestMail(ada.email, SUBJECTS.reset));
    await submitSignUp(page, cleo);
    await expect(mailSentNotice(page)).toBeVisible();
    world.confirmLink = linkIn(await latestMail(cleo.email, SUBJECTS.verify));
  });
});

async function withPage(browser: Browser, run: (page: Page) => Promise<void>) {
  const context = await browser.newContext();
  try {
    await run(await context.newPage());
  } finally {
    await context.close();
  }
}

/** The page has rendered its content: its main heading is on screen. */
async function mainHeading(page: Page) {
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
}

/**
 * axe-core on the page as it is now: every violation of impact serious or critical, one readable
 * block each (rule, impact, what to fix, where). Soft, so one run lists every page's problems.
 * Also saves a screenshot for reviewers.
 */
async function checkAxe(page: Page, what: string) {
  await page.screenshot({
    path: test.info().outputPath(`${what.replace(/[^a-z0-9]+/gi, "-")}.png`),
    fullPage: true,
  });
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) =>
      [
        `${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`,
        ...v.nodes.map(
          (node) =>
            `    at ${node.target.join(" ")}\n      ${node.failureSummary?.replace(/\n/g, "\n      ")}`,
        ),
      ].join("\n"),
    );
  expect.soft(serious, `axe on ${what} (${page.url()}):\n${serious.join("\n")}`).toEqual([]);
}

for (const size of SIZES) {
  test(`axe: signed-out pages at ${size.name} size`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: size.viewport });
    const page = await context.newPage();
    const pages: Array<[string, string]> = [
      ["/", "home"],
      ["/forgot-password", "forgot password"],
      ["/reset-password", "reset password, no link"],
      [world.resetLink, "reset password form"],
      ["/verify-email", "verify email, no link"],
      [world.confirmLink, "verify email form"],
    ];
    for (const [url, what] of pages) {
      await page.goto(url);
      await mainHeading(page);
      await checkAxe(page, `${size.name} ${what}`);
    }
    await context.close();
  });

  test(`axe: signed-in pages and dialogs at ${size.name} size`, async ({ browser }) => {
    const context = await browser.newContext({
      viewport: size.viewport,
      storageState: world.signedIn,
    });
    const page = await context.newPage();

    await page.goto("/chat");
    await expect(page.getByRole("heading", { level: 1, name: "Chats" })).toBeVisible();
    await checkAxe(page, `${size.name} chats`);
    await page.getByRole("button", { name: "New chat" }).click();
    await expect(page.getByRole("dialog", { name: "New chat" })).toBeVisible();
    await checkAxe(page, `${size.name} new chat dialog`);
    await page.keyboard.press("Escape");

    await page.goto(world.threadPath);
    await mainHeading(page);
    await checkAxe(page, `${size.name} thread`);

    await page.goto("/account");
    await mainHeading(page);
    await checkAxe(page, `${size.name} account`);
    await page.getByRole("button", { name: "Delete my ACS identity" }).click();
    await expect(page.getByRole("dialog", { name: "Delete your ACS identity?" })).toBeVisible();
    await checkAxe(page, `${size.name} delete identity dialog`);
    await context.close();
  });
}

test("fields are named exactly by their labels; hints are their descriptions", async ({
  browser,
}) => {
  await withPage(browser, async (page) => {
    await page.goto("/");
    const signUpForm = page.getByRole("form", { name: "Create account" });
    const password = signUpForm.getByLabel("Password", { exact: true });
    await expect(password).toHaveAccessibleName("Password");
    await expect(password).toHaveAccessibleDescription("At least 10 characters.");
    await expect(signUpForm.getByLabel("Email", { exact: true })).toHaveAccessibleName("Email");
    await expect(signUpForm.getByLabel("Display name", { exact: true })).toHaveAccessibleName(
      "Display name",
    );
    const signInForm = page.getByRole("form", { name: "Sign in" });
    await expect(signInForm.getByLabel("Password", { exact: true })).toHaveAccessibleName(
      "Password",
    );

    await page.goto(world.resetLink);
    const newPassword = page.getByLabel("New password", { exact: true });
    await expect(newPassword).toHaveAccessibleName("New password");
    await expect(newPassword).toHaveAccessibleDescription(
      "At least 10 characters. Every device is signed out.",
    );

    await page.goto(world.confirmLink);
    const confirmPassword = page.getByLabel("Password", { exact: true });
    await expect(confirmPassword).toHaveAccessibleName("Password");
    await expect(confirmPassword).toHaveAccessibleDescription(
      "The password you chose when creating the account.",
    );
  });

  const context = await browser.newContext({ storageState: world.signedIn });
  const page = await context.newPage();
  await page.goto("/chat");
  await page.getByRole("button", { name: "New chat" }).click();
  const dialog = page.getByRole("dialog", { name: "New chat" });
  await expect(dialog.getByRole("searchbox")).toHaveAccessibleName("Add people");
  await expect(dialog.getByRole("searchbox")).toHaveAccessibleDescription(
    "The start of a name (two letters or more), or a full email address.",
  );
  await expect(dialog.getByRole("textbox", { name: "Topic", exact: true })).toBeVisible();
  await context.close();
});

/** Whether focus is inside the dialog `name`. */
function focusInside(page: Page, name: string) {
  return page.evaluate((label) => {
    const dialog = [...document.querySelectorAll("dialog")].find(
      (d) =>
        d.getAttribute("aria-labelledby") &&
        document.getElementById(d.getAttribute("aria-labelledby")!)?.textContent === label,
    );
    return !!dialog && dialog.contains(document.activeElement);
  }, name);
}

/** Tabs forwards and backwards past both ends of the dialog: focus never leaves it. */
async function expectFocusTrapped(page: Page, name: string) {
  const stops = await page
    .getByRole("dialog", { name })
    .evaluate(
      (dialog) =>
        dialog.querySelectorAll("button:not([disabled]), input:not([disabled]), a[href]").length,
    );
  for (const key of ["Tab", "Shift+Tab"]) {
    for (let press = 0; press <= stops + 1; press += 1) {
      await page.keyboard.press(key);
      expect(await focusInside(page, name), `focus after ${press + 1}× ${key}`).toBe(true);
    }
  }
}

test("dialogs start focus on the first field (or Cancel), keep it inside, close on Escape and give it back", async ({
  browser,
}) => {
  const context = await browser.newContext({ storageState: world.signedIn });
  const page = await context.newPage();

  await page.goto("/chat");
  const newChat = page.getByRole("button", { name: "New chat" });
  await newChat.click();
  const dialog = page.getByRole("dialog", { name: "New chat" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("searchbox", { name: "Add people" })).toBeFocused();
  await expectFocusTrapped(page, "New chat");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(newChat).toBeFocused();
  // Cancel gives focus back too.
  await newChat.press("Enter");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(newChat).toBeFocused();

  await page.goto("/account");
  const opener = page.getByRole("button", { name: "Delete my ACS identity" });
  await opener.click();
  const confirm = page.getByRole("dialog", { name: "Delete your ACS identity?" });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await expectFocusTrapped(page, "Delete your ACS identity?");
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(opener).toBeFocused();
  await context.close();
});

test("a favicon and a web app manifest, served signed out and allowed by the page's CSP", async ({
  browser,
  request,
}) => {
  await withPage(browser, async (page) => {
    await page.goto("/");
    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute("href");
    const iconHref = await page.locator('link[rel="icon"]').first().getAttribute("href");
    expect(manifestHref).toBeTruthy();
    expect(iconHref).toBeTruthy();

    // Signed out, neither is redirected (to the sign-in page or anywhere).
    const manifestResponse = await request.get(manifestHref!, { maxRedirects: 0 });
    expect(manifestResponse.status()).toBe(200);
    const manifest = (await manifestResponse.json()) as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      theme_color: string;
      background_color: string;
      icons: Array<{ src: string; type: string }>;
    };
    expect(manifest).toMatchObject({ start_url: "/chat", display: "standalone" });
    expect(manifest.name).toBeTruthy();
    expect(manifest.short_name).toBeTruthy();
    expect(manifest.theme_color).toMatch(/^#/);
    expect(manifest.background_color).toMatch(/^#/);
    for (const icon of [{ src: iconHref!, type: "image/svg+xml" }, ...manifest.icons]) {
      const response = await request.get(icon.src, { maxRedirects: 0 });
      expect(response.status(), icon.src).toBe(200);
      expect(response.headers()["content-type"]).toContain(icon.type);
    }

    // Chrome fetches and parses the manifest under the page's Content-Security-Policy.
    const cdp = await page.context().newCDPSession(page);
    const { errors, url } = (await cdp.send("Page.getAppManifest")) as {
      url: string;
      errors: Array<{ message: string }>;
    };
    expect(new URL(url).pathname).toBe(new URL(manifestHref!, page.url()).pathname);
    expect(errors).toEqual([]);
    await cdp.detach();
  });
});
