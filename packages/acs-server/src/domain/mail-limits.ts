// How often the app may send account mail (sign-up confirmations, password resets), counted in the
// DB like the other call limits so every instance shares one budget. Per client address: one machine
// cannot make the app mail many addresses. Per recipient: nobody can flood one inbox.
import { createHash } from "node:crypto";

import { createCallCounters } from "../db/call-counters";
import type { Database } from "../db";
import { normalizeEmail } from "../db/users";

export interface MailSendPolicy {
  /** Requests that may send mail from one client address per window. Default 10 per minute. */
  perClient?: number;
  clientWindowMs?: number;
  /** Mails to one address per window. Default 3 per 10 minutes. */
  perRecipient?: number;
  recipientWindowMs?: number;
}

/**
 * "client-limited": tell the caller to wait (it says nothing about any account).
 * "recipient-limited": answer as usual but send nothing (telling would reveal the account).
 */
export type MailSendDecision = "allowed" | "client-limited" | "recipient-limited";

export interface MailSendLimit {
  /** Counts one request of `client` that would mail `email`, and says whether to send. */
  check(email: string, client: string): Promise<MailSendDecision>;
}

/** Counter keys carry a hash of the address, so the counters table holds no email. */
const recipientKey = (email: string) =>
  createHash("sha256").update(normalizeEmail(email)).digest("hex");

export function createMailSendLimit(
  database: Database,
  policy: MailSendPolicy = {},
  now: () => Date = () => new Date(),
): MailSendLimit {
  const counters = createCallCounters(database.orm);
  const perClient = policy.perClient ?? 10;
  const clientWindowMs = policy.clientWindowMs ?? 60_000;
  const perRecipient = policy.perRecipient ?? 3;
  const recipientWindowMs = policy.recipientWindowMs ?? 10 * 60_000;
  return {
    async check(email, client) {
      const at = now();
      const byClient = await counters.increment(`mail-client:${client}`, at, clientWindowMs);
      if (byClient.count > perClient) return "client-limited";
      const byRecipient = await counters.increment(
        `mail-to:${recipientKey(email)}`,
        at,
        recipientWindowMs,
      );
      return byRecipient.count > perRecipient ? "recipient-limited" : "allowed";
    },
  };
}
