// The mails the app sent during the run, as the SMTP catcher (mail-catcher.ts) received them.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "@playwright/test";
import { e2eEnv } from "./env";

export interface ReceivedMail {
  to: string[];
  from: string | null;
  subject: string;
  text: string;
}

const mailDir = () => {
  const dir = e2eEnv.mailDir;
  if (!dir) throw new Error("E2E_MAIL_DIR is not set (playwright.config.ts sets it)");
  return dir;
};

/** Every mail received so far for `to` (case-insensitive), oldest first. */
export function mailsTo(to: string): ReceivedMail[] {
  const wanted = to.toLowerCase();
  return readdirSync(mailDir())
    .filter((name) => name.endsWith(".json") && !name.startsWith("."))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(mailDir(), name), "utf8")) as ReceivedMail)
    .filter((mail) => mail.to.some((address) => address.toLowerCase() === wanted));
}

/** Waits (polling, with a deadline) until `to` has received `count` mails whose subject matches. */
export async function waitForMails(
  to: string,
  subject: RegExp,
  count = 1,
): Promise<ReceivedMail[]> {
  let found: ReceivedMail[] = [];
  await expect
    .poll(
      () => {
        found = mailsTo(to).filter((mail) => subject.test(mail.subject));
        return found.length;
      },
      { message: `${count} mail(s) to ${to} matching ${subject}`, timeout: 15_000 },
    )
    .toBeGreaterThanOrEqual(count);
  return found;
}

/** The newest mail to `to` whose subject matches. */
export async function latestMail(to: string, subject: RegExp, count = 1): Promise<ReceivedMail> {
  return (await waitForMails(to, subject, count)).at(-1)!;
}

/** The one link in a mail (the app's own origin). */
export function linkIn(mail: ReceivedMail): string {
  const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
  expect(links, `links in "${mail.subject}"`).toHaveLength(1);
  return links[0]!;
}

export const SUBJECTS = {
  verify: /^Confirm your email/,
  reset: /^Reset your acs-stack password/,
  signUpAttempt: /^Someone tried to sign up/,
};
