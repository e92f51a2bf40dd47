import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { messageItem, newPerson, sendMessage, signUp, startChatWith, type Person } from "./helpers";

async function signedUpContext(
  browser: Browser,
  person: Person,
  setUp?: (c: BrowserContext) => Promise<void>,
) {
  const context = await browser.newContext();
  await setUp?.(context);
  const page = await context.newPage();
  await signUp(page, person);
  return { context, page };
}

const chatList = (page: Page) => page.getByRole("list", { name: "Your chats" });
const chatItem = (page: Page, topic: string) =>
  chatList(page).getByRole("listitem").filter({ hasText: topic });
const unreadBadge = (page: Page, topic: string) =>
  chatItem(page, topic).getByRole("img", { name: /unread message/ });

/** Makes the page believe its tab is hidden (or visible again) and tells it so. */
async function setTabHidden(page: Page, hidden: boolean) {
  await page.evaluate((isHidden) => {
    Object.defineProperty(document, "visibilityState", {
      configurable: true,
      get: () => (isHidden ? "hidden" : "visible"),
    });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => isHidden });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

test("the thread list is live: new messages move their thread up and count; opening it clears the count", async ({
  browser,
}, testInfo) => {
  const ada = newPerson("Ada");
  const bob = newPerson("Bob");
  const b = await signedUpContext(browser, bob);
  const a = await signedUpContext(browser, ada);

  const olderPath = await startChatWith(a.page, bob, "Older");
  await sendMessage(a.page, "first from Ada");
  await expect(messageItem(a.page, "first from Ada")).toBeVisible();
  await startChatWith(a.page, bob, "Newer");

  await a.page.goto("/chat");
  await expect(chatList(a.page).getByRole("listitem").first()).toContainText("Newer");
  await expect(chatItem(a.page, "Older")).toContainText("You: first from Ada");
  await expect(chatItem(a.page, "Older").locator("time")).toHaveAttribute("datetime", /^\d{4}-/);

  // Bob writes twice in the older thread: Ada's list moves it to the top and counts, no reload.
  await b.page.goto(olderPath);
  await sendMessage(b.page, "one from Bob");
  await sendMessage(b.page, "two from Bob");
  await expect(chatList(a.page).getByRole("listitem").first()).toContainText("Older");
  await expect(chatItem(a.page, "Older")).toContainText(`${bob.name}: two from Bob`);
  await expect(
    chatItem(a.page, "Older").getByRole("img", { name: "2 unread messages" }),
  ).toHaveText("2");
  await expect(unreadBadge(a.page, "Newer")).toHaveCount(0);
  await a.page.screenshot({ path: testInfo.outputPath("thread-list.png"), fullPage: true });

  // The tab title carries the count while the tab is hidden, and drops it when it is visible.
  await expect(a.page).toHaveTitle("Chats — acs-stack");
  await setTabHidden(a.page, true);
  await expect(a.page).toHaveTitle("(2) Chats — acs-stack");
  await setTabHidden(a.page, false);
  await expect(a.page).toHaveTitle("Chats — acs-stack");

  // Opening the thread sends the read receipt: the count is gone, also after a reload.
  await chatItem(a.page, "Older").getByRole("link").click();
  await expect(a.page).toHaveURL(olderPath);
  await expect(messageItem(a.page, "two from Bob")).toBeVisible();
  await a.page.goBack(); // client-side: the list is the same live one, not reloaded
  await expect(chatItem(a.page, "Older")).toBeVisible();
  await expect(unreadBadge(a.page, "Older")).toHaveCount(0);
  await a.page.reload();
  await expect(chatItem(a.page, "Older")).toContainText(`${bob.name}: two from Bob`);
  await expect(unreadBadge(a.page, "Older")).toHaveCount(0);
  await expect(unreadBadge(a.page, "Newer")).toHaveCount(0);

  await a.context.close();
  await b.context.close();
});

interface Shown {
  title: string;
  body?: string;
  tag?: string;
}

test("notifications, once turned on in /account: one for a message in a thread that is not open, none for the open one; a click opens the thread", async ({
  browser,
}) => {
  const ada = newPerson("Ada");
  const bob = newPerson("Bob");
  const b = await signedUpContext(browser, bob);
  const a = await signedUpContext(browser, ada, async (context) => {
    await context.grantPermissions(["notifications"]);
    // Records every notification the page shows (the browser's own Notification underneath).
    await context.addInitScript(() => {
      const Real = window.Notification;
      const shown: { title: string; body?: string; tag?: string; notification: Notification }[] =
        [];
      (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
      window.Notification = class extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push({ title, body: options?.body, tag: options?.tag, notification: this });
        }
      };
    });
  });
  const shown = (page: Page) =>
    page.evaluate(() =>
      (
        window as unknown as { shownNotifications: (Shown & { notification: unknown })[] }
      ).shownNotifications.map(({ title, body, tag }) => ({ title, body, tag })),
    );

  await a.page.goto("/account");
  const settings = a.page.getByRole("region", { name: "Notifications" });
  await expect(settings.getByRole("status")).toHaveText("Off.");
  await settings.getByRole("button", { name: "Turn on notifications" }).click();
  await expect(settings.getByRole("status")).toHaveText(/^On:/);

  // The open thread: Bob's message shows there, and no notification.
  const path = await startChatWith(a.page, bob, "Pings");
  await b.page.goto(path);
  await sendMessage(b.page, "while you look");
  await expect(messageItem(a.page, "while you look")).toBeVisible();
  expect(await shown(a.page)).toEqual([]);

  // Elsewhere in the app (the chat list, reached without a reload): one notification, naming the
  // sender and the chat.
  await a.page.goBack();
  await expect(chatItem(a.page, "Pings")).toContainText("while you look");
  await sendMessage(b.page, "while you are away");
  await expect
    .poll(() => shown(a.page))
    .toEqual([
      { title: `${bob.name} in Pings`, body: "while you are away", tag: expect.any(String) },
    ]);

  // Clicking it opens the thread.
  await a.page.evaluate(() => {
    const [first] = (window as unknown as { shownNotifications: { notification: Notification }[] })
      .shownNotifications;
    first!.notification.onclick?.(new Event("click"));
  });
  await expect(a.page).toHaveURL(path);
  await expect(messageItem(a.page, "while you are away")).toBeVisible();

  await a.context.close();
  await b.context.close();
});
