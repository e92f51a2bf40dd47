import { expect, test, type Browser } from "@playwright/test";
import {
  countProcedureCalls,
  messageItem,
  newPerson,
  openParticipants,
  sendMessage,
  signIn,
  signUp,
  startChatWith,
  type Person,
} from "./helpers";

async function signedUpContext(browser: Browser, person: Person) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, person);
  return { context, page };
}

test("two people chat: messages both ways, typing, read receipts, edit and delete", async ({
  browser,
}, testInfo) => {
  const ada = newPerson("Ada");
  const bob = newPerson("Bob");
  const b = await signedUpContext(browser, bob);
  const a = await signedUpContext(browser, ada);

  const threadPath = await startChatWith(a.page, bob, "Engines");
  await sendMessage(a.page, "Hello Bob");
  await expect(messageItem(a.page, "Hello Bob")).toBeVisible();

  // B finds the thread in the list (newest first) and opens it.
  await b.page.goto("/chat");
  await b.page.getByRole("link", { name: /Engines/ }).click();
  await expect(b.page).toHaveURL(threadPath);
  await expect(messageItem(b.page, "Hello Bob")).toBeVisible();

  // A sees that B read it.
  await expect(messageItem(a.page, "Hello Bob").getByTestId("delivery")).toHaveText("Read");

  // B types: A sees it.
  await b.page.getByRole("textbox", { name: "Message" }).pressSequentially("Hi Ada", { delay: 20 });
  await expect(a.page.getByTestId("typing")).toContainText(`${bob.name} is typing`);
  await b.page.getByRole("button", { name: "Send" }).click();
  await expect(messageItem(a.page, "Hi Ada")).toBeVisible();
  await expect(messageItem(b.page, "Hi Ada").getByTestId("delivery")).toHaveText(/Sent|Read/);

  // A edits, then deletes; B sees both.
  await messageItem(a.page, "Hello Bob")
    .getByRole("button", { name: /^Edit message/ })
    .click();
  await a.page.getByRole("textbox", { name: "Edit message" }).fill("Hello Bob, edited");
  await a.page.getByRole("button", { name: "Save" }).click();
  await expect(messageItem(b.page, "Hello Bob, edited")).toContainText("(edited)");
  await expect(a.page.getByRole("status", { name: "Connection" })).toHaveText(/Live|Polling/);
  await a.page.screenshot({ path: testInfo.outputPath("chat-page.png"), fullPage: true });
  await messageItem(a.page, "Hello Bob, edited")
    .getByRole("button", { name: /^Delete message/ })
    .click();
  await expect(b.page.getByText("Message deleted")).toBeVisible();
  await expect(messageItem(b.page, "Hello Bob, edited")).toHaveCount(0);

  await a.context.close();
  await b.context.close();
});

test("a second tab stays in sync, and the two tabs make one refresh call together", async ({
  browser,
}) => {
  const ada = newPerson("Ada");
  const bob = newPerson("Bob");
  const b = await signedUpContext(browser, bob);
  await b.context.close();
  const a = await signedUpContext(browser, ada);
  const threadPath = await startChatWith(a.page, bob, "Tabs");

  const refreshes = countProcedureCalls(a.context, "acs.token.refresh");
  await a.context.clock.install();
  await a.page.goto(threadPath);
  const second = await a.context.newPage();
  await second.goto(threadPath);

  await sendMessage(a.page, "from tab one");
  await expect(messageItem(second, "from tab one")).toBeVisible();

  // Past the proactive refresh point of a 24 h token (50–80 % of its lifetime) in both tabs.
  await a.context.clock.fastForward("20:00:00");
  await expect.poll(() => refreshes.count, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  await sendMessage(second, "from tab two after refresh");
  await expect(messageItem(a.page, "from tab two after refresh")).toBeVisible();
  expect(refreshes.count).toBe(1);
  await a.context.close();
});

test("a message sent across a token refresh arrives once", async ({ browser }) => {
  const ada = newPerson("Ada");
  const bob = newPerson("Bob");
  const b = await signedUpContext(browser, bob);
  const a = await signedUpContext(browser, ada);
  const threadPath = await startChatWith(a.page, bob, "Refresh");
  const refreshes = countProcedureCalls(a.context, "acs.token.refresh");

  await a.page.clock.install();
  await a.page.goto(threadPath);
  await b.page.goto(threadPath);
  await sendMessage(a.page, "before the refresh");
  await expect(messageItem(b.page, "before the refresh")).toBeVisible();

  await sendMessage(a.page, "across the refresh");
  await a.page.clock.fastForward("20:00:00");
  await expect.poll(() => refreshes.count, { timeout: 20_000 }).toBe(1);
  await expect(messageItem(b.page, "across the refresh")).toHaveCount(1);
  await sendMessage(a.page, "after the refresh");
  await expect(messageItem(b.page, "after the refresh")).toBeVisible();
  await expect(messageItem(b.page, "across the refresh")).toHaveCount(1);
  await expect(messageItem(a.page, "across the refresh")).toHaveCount(1);
  await a.context.close();
  await b.context.close();
});

test("sign out everywhere sends the other session to sign-in and reports its pending message", async ({
  browser,
}) => {
  const ada = newPerson("Ada");
  const bob = newPerson("Bob");
  const b = await signedUpContext(browser, bob);
  await b.context.close();
  const a1 = await signedUpContext(browser, ada);
  const threadPath = await startChatWith(a1.page, bob, "Revocation");

  const a2context = await browser.newContext();
  const a2 = await a2context.newPage();
  await signIn(a2, ada);
  await expect(a2).toHaveURL(/\/chat$/);
  await a2.goto(threadPath);
  await expect(a2.getByRole("list", { name: "Message list" })).toHaveAttribute(
    "aria-busy",
    "false",
  );

  // A message waits in the outbox while the second device is offline…
  await a2context.setOffline(true);
  await sendMessage(a2, "written while offline");
  await expect(messageItem(a2, "written while offline").getByTestId("delivery")).toHaveText(
    /Sending|Not sent/,
  );

  // …and meanwhile the first device signs out everywhere.
  await a1.page.goto("/account");
  await a1.page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(a1.page.getByRole("status")).toHaveText(/signed out on every device/);

  await a2context.setOffline(false);
  await expect(a2).toHaveURL(/reason=revoked/);
  await expect(a2.getByRole("status")).toContainText("You were signed out everywhere");
  const report = a2.getByRole("alert").filter({ hasText: "was not sent" });
  await expect(report).toContainText("1 message was not sent");
  await expect(report).toContainText("written while offline");
  await expect(a2.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await a1.context.close();
  await a2context.close();
});

test("participants: add someone to a running chat, then remove them", async ({ browser }) => {
  const ada = newPerson("Ada");
  const bob = newPerson("Bob");
  const cyd = newPerson("Cyd");
  const b = await signedUpContext(browser, bob);
  await b.context.close();
  const c = await signedUpContext(browser, cyd);
  const a = await signedUpContext(browser, ada);
  await startChatWith(a.page, bob, "Growing");
  await sendMessage(a.page, "welcome");

  const people = await openParticipants(a.page);
  await people.getByRole("searchbox", { name: "Add someone" }).fill(cyd.name);
  await people.getByRole("button", { name: `Add ${cyd.name}` }).click();
  await expect(people.getByRole("button", { name: `Remove ${cyd.name}` })).toBeVisible();

  // C now has the thread and can read its history.
  await c.page.goto("/chat");
  await c.page.getByRole("link", { name: /Growing/ }).click();
  await expect(messageItem(c.page, "welcome")).toBeVisible();

  // Removing asks first; Cancel keeps them.
  await people.getByRole("button", { name: `Remove ${cyd.name}` }).click();
  const confirm = a.page.getByRole("alertdialog", { name: `Remove ${cyd.name}?` });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(people.getByRole("button", { name: `Remove ${cyd.name}` })).toBeVisible();
  await people.getByRole("button", { name: `Remove ${cyd.name}` }).click();
  await confirm.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(people.getByText(cyd.name)).toHaveCount(0);
  await c.page.goto("/chat");
  await expect(c.page.getByRole("link", { name: /Growing/ })).toHaveCount(0);
  await a.context.close();
  await c.context.close();
});
