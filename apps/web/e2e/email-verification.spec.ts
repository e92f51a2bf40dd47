// Email-and-password accounts as production runs them (playwright.config.ts: NODE_ENV=production,
// AUTH_CREDENTIALS_SIGNUP=true, SMTP to e2e/mail-catcher.ts): a new account confirms its email through
// the mailed link before it can chat or be found; "forgot password" resets through the same path;
// neither tells a stranger whether an address has an account. Token expiry is tested with an
// injected clock in packages/acs-server/test/db/store-suite.ts.
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import {
  confirmEmailFromMail,
  mailSentNotice,
  messageItem,
  newPerson,
  sendMessage,
  signIn,
  signUp,
  startChatWith,
  submitSignUp,
  type Person,
} from "./helpers";
import { latestMail, linkIn, mailsTo, SUBJECTS, waitForMails } from "./mail";

// Several people per test, each in a browser context of their own: closed after each test so their
// pages stop polling, and slow-marked (three times the timeout) on a shared, busy machine.
const contexts: BrowserContext[] = [];
async function personPage(
  browser: Browser,
  options?: Parameters<Browser["newContext"]>[0],
): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  return context.newPage();
}
test.beforeEach(() => test.slow());
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function requestReset(page: Page, email: string) {
  await page.goto("/forgot-password");
  await page.getByRole("form", { name: "Reset password" }).getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a reset link" }).click();
  await expect(mailSentNotice(page)).toBeVisible();
  return (await mailSentNotice(page).textContent())!.replace(email, "<email>");
}

/** People the directory finds for `query`, from A's "New chat" dialog. */
async function directorySearch(page: Page, query: string) {
  await page.goto("/chat");
  await page.getByRole("button", { name: "New chat" }).click();
  await page.getByRole("searchbox", { name: "Add people" }).fill(query);
  const found = page.getByRole("list", { name: "People found" });
  await expect(found).toBeVisible();
  return found;
}

test("a newcomer signs up, follows the mailed link and chats", async ({ browser, baseURL }) => {
  const [ada, bob] = [newPerson("Ada"), newPerson("Bob")];
  const bobPage = await personPage(browser);
  await signUp(bobPage, bob);

  const page = await personPage(browser);
  await submitSignUp(page, ada);
  await expect(mailSentNotice(page)).toContainText(ada.email);
  const mail = await latestMail(ada.email, SUBJECTS.verify);
  expect(mail.from).toBe("no-reply@example.test");
  // The link is on the app's own origin, with the token and nothing else.
  const link = new URL(linkIn(mail));
  expect(link.origin).toBe(new URL(baseURL!).origin);
  expect(link.pathname).toBe("/verify-email");
  expect([...link.searchParams.keys()]).toEqual(["token"]);

  await confirmEmailFromMail(page, ada);
  await startChatWith(page, bob, "Verified hello");
  await sendMessage(page, "hello from a confirmed address");
  await expect(messageItem(page, "hello from a confirmed address")).toBeVisible();
});

test("an unconfirmed account cannot sign in, is not in the directory, and its link needs its password", async ({
  browser,
}) => {
  const [squatter, seeker] = [newPerson("Quinn"), newPerson("Sam")];
  const seekerPage = await personPage(browser);
  await signUp(seekerPage, seeker);

  const page = await personPage(browser);
  await submitSignUp(page, squatter);
  await expect(mailSentNotice(page)).toBeVisible();

  // The right password, but the address is unconfirmed: no session.
  await signIn(page, squatter);
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(
    /Confirm your email first/,
  );
  await page.goto("/chat");
  await expect(page).toHaveURL(/reason=sign-in-required/);

  for (const query of [squatter.email, squatter.name])
    await expect(await directorySearch(seekerPage, query)).toHaveText(/Nobody matches/);

  // Whoever opens the link must know the password chosen at sign-up; a wrong one uses nothing up.
  await page.goto(linkIn(await latestMail(squatter.email, SUBJECTS.verify)));
  const confirm = page.getByRole("form", { name: "Confirm email" });
  await confirm.getByLabel("Password").fill("not the sign-up password");
  await page.getByRole("button", { name: "Confirm and sign in" }).click();
  await expect(confirm.getByRole("alert")).toHaveText(/not the password chosen/);
  await confirmEmailFromMail(page, squatter);

  // Confirmed: now the directory finds it (the search above could have found it).
  await expect(
    (await directorySearch(seekerPage, squatter.email)).getByRole("button", {
      name: `Add ${squatter.name}`,
    }),
  ).toBeVisible();
});

test("forgot password: the link sets a new password once, ends other sessions; old password fails", async ({
  browser,
}) => {
  const person = newPerson("Rosa");
  const laptop = await personPage(browser);
  await signUp(laptop, person);

  const phone = await personPage(browser);
  await requestReset(phone, person.email);
  const link = linkIn(await latestMail(person.email, SUBJECTS.reset));
  expect(new URL(link).pathname).toBe("/reset-password");

  // A forged token, or the right one with a character changed, opens nothing.
  const forged = new URL(link);
  const token = forged.searchParams.get("token")!;
  forged.searchParams.set("token", `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`);
  await phone.goto(forged.toString());
  await expect(phone.getByRole("main").getByRole("alert")).toHaveText(/not valid any more/);

  await phone.goto(link);
  const newPassword = `${person.password} renewed`;
  await phone
    .getByRole("form", { name: "Choose a new password" })
    .getByLabel("New password")
    .fill(newPassword);
  await phone.getByRole("button", { name: "Set new password" }).click();
  await expect(phone).toHaveURL(/\/\?reason=password-reset$/);
  await expect(phone.getByRole("status")).toHaveText(/password was changed/);

  // The laptop's session ended with the reset.
  await laptop.goto("/chat");
  await expect(laptop).toHaveURL(/\/\?reason=revoked$/);

  await signIn(phone, person);
  await expect(phone.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(
    /email and password do not match/,
  );
  await signIn(phone, { email: person.email, password: newPassword });
  await expect(phone).toHaveURL(/\/chat$/);

  // Single use: the same link again is refused.
  await phone.goto(link);
  await expect(phone.getByRole("main").getByRole("alert")).toHaveText(/not valid any more/);
  await expect(phone.getByRole("form", { name: "Choose a new password" })).toHaveCount(0);
});

test("enumeration: a taken address and an unknown one get the same answers; the owner is told", async ({
  browser,
}) => {
  const owner = newPerson("Olga");
  await signUp(await personPage(browser), owner);
  const attacker = await personPage(browser);

  // Sign-up with the owner's address (other case) and with a fresh one: the same notice.
  const answerFor = async (person: Person) => {
    await submitSignUp(attacker, person);
    await expect(mailSentNotice(attacker)).toBeVisible();
    return (await mailSentNotice(attacker).textContent())!.replace(person.email, "<email>");
  };
  const taken = await answerFor({
    ...newPerson("Mallory"),
    email: owner.email.toUpperCase(),
  });
  const fresh = await answerFor(newPerson("Fresh"));
  expect(taken).toBe(fresh);

  // The owner hears of it; nothing about the account changed.
  const attempt = await latestMail(owner.email, SUBJECTS.signUpAttempt);
  expect(new URL(linkIn(attempt)).pathname).toBe("/forgot-password");
  expect(mailsTo(owner.email).filter((m) => SUBJECTS.verify.test(m.subject))).toHaveLength(1);
  await signIn(attacker, owner);
  await expect(attacker).toHaveURL(/\/chat$/);
  await attacker.getByRole("button", { name: "Sign out" }).click();
  await expect(attacker.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();

  // "Forgot password": the same answer for an unknown address, which gets no mail.
  const nobody = newPerson("Nobody").email;
  expect(await requestReset(attacker, nobody)).toBe(await requestReset(attacker, owner.email));
  await waitForMails(owner.email, SUBJECTS.reset);
  expect(mailsTo(nobody)).toEqual([]);
});

test("mail links stay on the app's origin whatever Host the request claims", async ({
  browser,
  baseURL,
}) => {
  const person = newPerson("Hal");
  await signUp(await personPage(browser), person);
  // (A forged X-Forwarded-Host makes Next refuse the server action outright.)
  const forged = await personPage(browser, {
    extraHTTPHeaders: { "x-forwarded-proto": "https", "x-forwarded-port": "8443" },
  });
  await requestReset(forged, person.email);
  const link = new URL(linkIn(await latestMail(person.email, SUBJECTS.reset)));
  expect(link.origin).toBe(new URL(baseURL!).origin);
});

test("the development mail catcher page does not exist in production", async ({ request }) => {
  expect((await request.get("/dev/mail")).status()).toBe(404);
});
