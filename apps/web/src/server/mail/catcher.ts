// Development only: the last mails the app "sent", kept in this process for the /dev/mail page, so a
// newcomer trying the real sign-up flow needs no mail server. Kept on globalThis (dev HMR reloads
// modules); bounded, newest first.
import type { AccountMail } from "./mail";

export interface CaughtMail extends AccountMail {
  at: Date;
}

const CAUGHT_MAX = 50;
const holder = globalThis as { __acsStackCaughtMail?: CaughtMail[] };

export function catchMail(mail: AccountMail, at = new Date()): void {
  const list = (holder.__acsStackCaughtMail ??= []);
  list.unshift({ ...mail, at });
  list.length = Math.min(list.length, CAUGHT_MAX);
}

export function caughtMails(): readonly CaughtMail[] {
  return holder.__acsStackCaughtMail ?? [];
}
