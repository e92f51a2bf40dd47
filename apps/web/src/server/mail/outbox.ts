import "server-only";
// Account mail leaves after the answer (next/server `after`): how long SMTP takes, or whether a mail
// was sent at all, must not show in the answer (see server/auth/email-accounts.ts).
import { after } from "next/server";
import type { AccountMail } from "./mail";
import { mailTransport } from "./transport";

export function sendAfterAnswer(mails: readonly AccountMail[]): void {
  if (mails.length === 0) return;
  after(async () => {
    for (const mail of mails) {
      try {
        await mailTransport().send(mail);
      } catch (error) {
        // The reason only: a message could name the recipient, the URL could carry a password.
        const { name, code, responseCode } = (error ?? {}) as {
          name?: string;
          code?: string;
          responseCode?: number;
        };
        console.error("account mail not sent:", { name, code, responseCode });
      }
    }
  });
}
