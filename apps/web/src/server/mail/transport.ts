import "server-only";
// Where account mail goes: SMTP (nodemailer) when SMTP_URL is set; otherwise, in development, the
// console and the /dev/mail catcher page. Production without SMTP_URL sends nothing and says why.
import nodemailer from "nodemailer";
import { env } from "~/env";
import { catchMail } from "./catcher";
import type { AccountMail, MailTransport } from "./mail";

export class MailNotConfiguredError extends Error {
  constructor() {
    super(
      "SMTP_URL is not set: account mail (sign-up confirmation, password reset) cannot be sent.",
    );
    this.name = "MailNotConfiguredError";
  }
}

export function smtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transporter.sendMail({ from, ...mail });
    },
  };
}

/** Development without SMTP: the mail (its link included) on the console and the catcher page. */
export const developmentTransport: MailTransport = {
  send(mail: AccountMail) {
    catchMail(mail);
    console.info(`[mail] to ${mail.to}: ${mail.subject}\n${mail.text}`);
    return Promise.resolve();
  },
};

const unconfigured: MailTransport = {
  send: () => Promise.reject(new MailNotConfiguredError()),
};

let transport: MailTransport | undefined;

export function mailTransport(): MailTransport {
  transport ??= env.SMTP_URL
    ? smtpTransport(env.SMTP_URL, env.EMAIL_FROM)
    : env.NODE_ENV === "production"
      ? unconfigured
      : developmentTransport;
  return transport;
}

/** A catcher page exists only in development, and only when mail is not sent over SMTP. */
export const mailCatcherEnabled = () => env.NODE_ENV !== "production";
