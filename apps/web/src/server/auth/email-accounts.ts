// Email-and-password accounts that confirm their address (always in production): sign-up, the
// confirmation link, "forgot password" and the reset link. Framework-free (tested directly); the
// server actions in app/_actions/auth.ts call these and send the returned mails after answering.
//
// Against account enumeration, sign-up and "forgot password" answer the same whatever the address:
// a new address gets a confirmation link; a confirmed one gets a "someone tried to sign up" mail
// (the owner learns of it, the stranger learns nothing); an unconfirmed one gets the new form's
// password and a fresh link (nobody proved it theirs, so a squatter cannot keep its owner out).
// The password is hashed on every path, so the answer takes as long either way; mails leave after
// the answer.
import {
  EmailTakenError,
  type EmailTokenStore,
  type LoginThrottle,
  type MailSendLimit,
  type UserStore,
} from "@acs-stack/acs-server";
import type { AccountMail } from "../mail/mail";
import { accountLink } from "../mail/links";
import { passwordResetMail, signUpAttemptMail, verificationMail } from "../mail/messages";
import { emailSchema, parseSignUp, type SignUpRefusal } from "./credentials";
import { hashPassword, passwordWeakness, verifyPassword } from "./password";

export interface EmailAccountDependencies {
  users: Pick<UserStore, "createUser" | "findByEmail" | "findById" | "replaceUnverified">;
  tokens: EmailTokenStore;
  limit: MailSendLimit;
  throttle: LoginThrottle;
  /** The app's own origin for links (AUTH_URL; see mail/links.ts). */
  origin: string;
}

export type MailRequestResult =
  | { ok: true; mails: AccountMail[] }
  | SignUpRefusal
  | { ok: false; field?: undefined; message: string };

export const TOO_MANY_MAIL_REQUESTS =
  "Too many requests from your network. Wait a minute and try again.";

/** A sign-up that must confirm its email. `ok` looks the same for a new and a taken address. */
export async function requestSignUp(
  deps: EmailAccountDependencies,
  input: unknown,
  client: string,
): Promise<MailRequestResult> {
  const parsed = parseSignUp(input);
  if (!parsed.ok) return parsed;
  const { email, password, displayName } = parsed.data;
  const passwordHash = await hashPassword(password);

  const decision = await deps.limit.check(email, client);
  if (decision === "client-limited") return { ok: false, message: TOO_MANY_MAIL_REQUESTS };
  if (decision === "recipient-limited") return { ok: true, mails: [] };

  const existing = await deps.users.findByEmail(email);
  if (existing?.emailVerifiedAt) {
    return {
      ok: true,
      mails: [signUpAttemptMail(email, accountLink("/forgot-password", undefined, deps.origin))],
    };
  }
  let userId: string;
  if (existing) {
    const replaced = await deps.users.replaceUnverified(existing.id, { displayName, passwordHash });
    if (!replaced) return { ok: true, mails: [] }; // confirmed meanwhile
    userId = replaced.id;
  } else {
    try {
      userId = (
        await deps.users.createUser({ email, displayName, passwordHash, emailVerifiedAt: null })
      ).id;
    } catch (error) {
      if (error instanceof EmailTakenError) return { ok: true, mails: [] }; // a parallel sign-up won
      throw error;
    }
  }
  const { token } = await deps.tokens.issue(userId, "verify-email");
  return {
    ok: true,
    mails: [verificationMail(email, accountLink("/verify-email", token, deps.origin))],
  };
}

/** "Forgot password": a reset link if the address has an account, nothing otherwise; same answer. */
export async function requestPasswordReset(
  deps: EmailAccountDependencies,
  input: unknown,
  client: string,
): Promise<MailRequestResult> {
  const parsed = emailSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, field: "email", message: parsed.error.issues[0]?.message ?? "Check it." };
  const email = parsed.data;
  const decision = await deps.limit.check(email, client);
  if (decision === "client-limited") return { ok: false, message: TOO_MANY_MAIL_REQUESTS };
  if (decision === "recipient-limited") return { ok: true, mails: [] };
  const user = await deps.users.findByEmail(email);
  if (!user) return { ok: true, mails: [] };
  const { token } = await deps.tokens.issue(user.id, "reset-password");
  return {
    ok: true,
    mails: [passwordResetMail(email, accountLink("/reset-password", token, deps.origin))],
  };
}

/** As at sign-up (credentials.ts). */
const PASSWORD_MAX = 1024;

export type LinkResult<T> = ({ ok: true } & T) | { ok: false; reason: LinkRefusal };
export type LinkRefusal = "link-invalid" | "invalid-credentials" | "weak-password";

/**
 * Confirms the address behind a sign-up link. The password chosen at sign-up is asked again, so a
 * stranger who signed up with someone else's address gains nothing when its owner clicks the link.
 */
export async function confirmEmail(
  deps: Pick<EmailAccountDependencies, "users" | "tokens" | "throttle">,
  input: { token: string; password: string },
  client: string,
): Promise<LinkResult<{ email: string }>> {
  const userId = await deps.tokens.peek(input.token, "verify-email");
  const user = userId ? await deps.users.findById(userId) : undefined;
  if (!user?.email) return { ok: false, reason: "link-invalid" };
  const reservation = await deps.throttle.reserve(user.email, client);
  if (!reservation.allowed) return { ok: false, reason: "invalid-credentials" };
  if (!user.passwordHash || !(await verifyPassword(input.password, user.passwordHash)))
    return { ok: false, reason: "invalid-credentials" };
  await deps.throttle.succeeded(user.email, client);
  if (!(await deps.tokens.confirmEmail(input.token, user.id)))
    return { ok: false, reason: "link-invalid" };
  return { ok: true, email: user.email };
}

/** Sets a new password through a reset link; the store ends every session of the account. */
export async function resetPassword(
  deps: Pick<EmailAccountDependencies, "users" | "tokens">,
  input: { token: string; password: string },
): Promise<
  LinkResult<{ userId: string }> | { ok: false; reason: "weak-password"; message: string }
> {
  const userId = await deps.tokens.peek(input.token, "reset-password");
  const user = userId ? await deps.users.findById(userId) : undefined;
  if (!user) return { ok: false, reason: "link-invalid" };
  const weakness =
    input.password.length > PASSWORD_MAX
      ? `Keep the password under ${PASSWORD_MAX} characters.`
      : passwordWeakness(input.password, user.email ?? undefined);
  if (weakness) return { ok: false, reason: "weak-password", message: weakness };
  const reset = await deps.tokens.resetPassword(input.token, await hashPassword(input.password));
  if (!reset) return { ok: false, reason: "link-invalid" };
  return { ok: true, userId: reset.userId };
}
