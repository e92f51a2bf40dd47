// One person on two devices (two browser contexts): "Sign out" ends only the device it is pressed on;
// "Sign out everywhere" sends the other device to sign-in and kills its ACS token at ACS.
import { expect, request as playwrightRequest, test, type Page } from "@playwright/test";
import { e2eEnv } from "./env";
import { messageItem, newPerson, sendMessage, signIn, signUp, startChatWith } from "./helpers";

/** The ACS token in the page's next acs.token.issue response (read before the page moves on). */
async function nextIssuedAcsToken(page: Page, act: () => Promise<void>): Promise<string> {
  const issued = page.waitForResponse((response) =>
    /\/api\/trpc\/[^?]*acs\.token\.issue/.test(response.url()),
  );
  await act();
  const body = await (await issued).text();
  const token = /"token":"([^"]+)"/.exec(body)?.[1];
  if (!token) throw new Error("acs.token.issue answered without a token");
  return token;
}

/** Lists the token holder's chat threads straight at the emulator's chat API (no SDK retries). */
async function chatApiStatus(token: string): Promise<number> {
  const acs = await playwrightRequest.newContext({ ignoreHTTPSErrors: true });
  try {
    const response = await acs.get(
      `https://127.0.0.1:${e2eEnv.emulatorPort}/chat/threads?api-version=2025-03-15`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    return response.status();
  } finally {
    await acs.dispose();
  }
}

test("Sign out is per device; Sign out everywhere ends the other device and its ACS token", async ({
  browser,
}) => {
  const ada = newPerson("Ada");
  const bob = newPerson("Bob");
  const bobContext = await browser.newContext();
  const bobPage = await bobContext.newPage();
  await signUp(bobPage, bob);

  const laptop = await browser.newContext();
  const laptopPage = await laptop.newPage();
  await signUp(laptopPage, ada);
  const threadPath = await startChatWith(laptopPage, bob, "Devices");

  const phone = await browser.newContext();
  const phonePage = await phone.newPage();
  const phoneToken = await nextIssuedAcsToken(phonePage, async () => {
    await signIn(phonePage, ada);
    await expect(phonePage).toHaveURL(/\/chat$/);
  });
  await phonePage.goto(threadPath);
  await bobPage.goto(threadPath);

  // Plain "Sign out" on the laptop…
  await laptopPage.getByRole("button", { name: "Sign out" }).click();
  await expect(laptopPage.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();

  // …leaves the phone sending and receiving, with a token ACS still accepts.
  await sendMessage(phonePage, "still here after the laptop signed out");
  await expect(messageItem(bobPage, "still here after the laptop signed out")).toBeVisible();
  await sendMessage(bobPage, "hello phone");
  await expect(messageItem(phonePage, "hello phone")).toBeVisible();
  await expect(phonePage).toHaveURL(new RegExp(`${threadPath}$`));
  expect(await chatApiStatus(phoneToken)).toBe(200);
  // The phone's composer keeps the focus for what it types below.
  await expect(phonePage.getByRole("textbox", { name: "Message" })).toBeFocused();

  // "Sign out everywhere" on the laptop (signed in again)…
  await signIn(laptopPage, ada);
  await expect(laptopPage).toHaveURL(/\/chat$/);
  await laptopPage.goto("/account");
  await laptopPage.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(laptopPage.getByRole("status")).toHaveText(/signed out on every device/);

  // …sends the phone to sign-in as soon as it acts, and its old ACS token is refused by ACS. The
  // phone may notice first (its chat event stream reconnecting, or the typing notification of the
  // first key), so the keys go to whatever has the focus rather than waiting for the composer.
  expect(await chatApiStatus(phoneToken)).toBe(401);
  await phonePage.keyboard.type("after everywhere");
  await phonePage.keyboard.press("Enter");
  await expect(phonePage).toHaveURL(/reason=revoked/);
  await expect(phonePage.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await expect(messageItem(bobPage, "after everywhere")).toHaveCount(0);

  for (const context of [bobContext, laptop, phone]) await context.close();
});
