import { expect, type BrowserContext, type Page } from "@playwright/test";
import { latestMail, linkIn, SUBJECTS } from "./mail";

let counter = 0;
/** A unique person per test run (the database lives for the whole run). */
export function newPerson(name: string) {
  counter += 1;
  const id = `${Date.now().toString(36)}${counter}`;
  return {
    name: `${name} ${id}`,
    email: `${name.toLowerCase()}.${id}@example.test`,
    password: `pass phrase ${id} ok`,
  };
}
export type Person = ReturnType<typeof newPerson>;

/** Fills and sends the sign-up form (no waiting for what follows). */
export async function submitSignUp(page: Page, person: Person) {
  await page.goto("/");
  const form = page.getByRole("form", { name: "Create account" });
  await form.getByLabel("Email").fill(person.email);
  await form.getByLabel("Password", { exact: true }).fill(person.password);
  await form.getByLabel("Display name").fill(person.name);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** "Check your inbox": what sign-up says when the address must be confirmed (whatever the address). */
export const mailSentNotice = (page: Page) =>
  page.getByRole("status").filter({ hasText: /^Check your inbox/ });

/**
 * Signs a new person up and lands on /chat. When the server makes new accounts confirm their email
 * (production, as the e2e server runs), follows the mailed link in the browser and confirms it
 * with the password; with the development defaults the account is usable at once.
 */
export async function signUp(page: Page, person: Person) {
  await submitSignUp(page, person);
  await expect(
    page.getByRole("heading", { name: "Chats", exact: true }).or(mailSentNotice(page)),
  ).toBeVisible();
  if (/\/chat$/.test(new URL(page.url()).pathname)) return;
  await confirmEmailFromMail(page, person);
}

/** Opens the newest confirmation link mailed to the person and confirms with their password. */
export async function confirmEmailFromMail(page: Page, person: Person) {
  const mail = await latestMail(person.email, SUBJECTS.verify);
  await page.goto(linkIn(mail));
  await page
    .getByRole("form", { name: "Confirm email" })
    .getByLabel("Password", { exact: true })
    .fill(person.password);
  await page.getByRole("button", { name: "Confirm and sign in" }).click();
  await expect(page).toHaveURL(/\/chat$/);
}

export async function signIn(page: Page, person: Pick<Person, "email" | "password">) {
  await page.goto("/");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(person.email);
  await form.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Counts tRPC calls of one procedure made by a browser context (batched calls count each procedure). */
export function countProcedureCalls(context: BrowserContext, procedure: string) {
  const counter = { count: 0 };
  context.on("request", (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith("/api/trpc/")) return;
    const procedures = decodeURIComponent(url.pathname.slice("/api/trpc/".length)).split(",");
    counter.count += procedures.filter((p) => p === procedure).length;
  });
  return counter;
}

/** A starts a chat with B from /chat and lands on the thread; returns the thread URL path. */
export async function startChatWith(page: Page, other: Person, topic: string): Promise<string> {
  await page.goto("/chat");
  await page.getByRole("button", { name: "New chat" }).click();
  await page.getByRole("searchbox", { name: "Add people" }).fill(other.name);
  await page.getByRole("button", { name: `Add ${other.name}` }).click();
  await page.getByLabel("Topic").fill(topic);
  await page.getByRole("button", { name: "Start chat" }).click();
  await expect(page).toHaveURL(/\/chat\/[^/]+$/);
  return new URL(page.url()).pathname;
}

export async function sendMessage(page: Page, text: string) {
  // The thread is open (history loaded) before anything is typed.
  await expect(page.getByRole("list", { name: "Message list" })).toHaveAttribute(
    "aria-busy",
    "false",
  );
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
}

export function messageItem(page: Page, text: string | RegExp) {
  return page
    .getByRole("list", { name: "Message list" })
    .getByRole("listitem")
    .filter({ hasText: text });
}

/** Opens the thread's participants sheet (a modal dialog) from the thread header; returns it. */
export async function openParticipants(page: Page) {
  await page.getByRole("button", { name: /^Participants \(\d+\)$/ }).click();
  const sheet = page.getByRole("dialog", { name: "Participants" });
  await expect(sheet).toBeVisible();
  return sheet;
}
