"use server";
// Server actions behind the sign-in, sign-up and sign-out forms. The user comes from currentUser(),
// which refuses an ended session, so a cookie of a session ended elsewhere changes nothing here.
import { CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { authMessage } from "~/lib/auth-messages";
import { formText } from "~/lib/form";
import { safeRedirectPath } from "~/lib/safe-redirect";
import { revokeAcsTokensOf, serverCaller } from "~/server/acs";
import { signIn, signOut } from "~/server/auth";
import { accountPolicy } from "~/server/auth/account-policy";
import { clientAddress } from "~/server/auth/client-address";
import { registerAccount } from "~/server/auth/credentials";
import { emailAccountDependencies } from "~/server/auth/email-account-deps";
import {
  confirmEmail,
  requestPasswordReset,
  requestSignUp,
  resetPassword,
} from "~/server/auth/email-accounts";
import { sendAfterAnswer } from "~/server/mail/outbox";
import { getAccountStore, getSessionStore } from "~/server/db";
import { loggedAction } from "~/server/action-log";
import { currentUser } from "~/server/session";

export interface FormState {
  error?: string;
  field?: string;
  /** Values sent back so the form keeps what the person typed (never the password). */
  email?: string;
  displayName?: string;
  /** A mail is on its way (said the same whether or not the address has an account). */
  sent?: boolean;
}

async function signInAction(_previous: FormState, form: FormData): Promise<FormState> {
  const email = formText(form, "email");
  try {
    await signIn("credentials", {
      email,
      password: formText(form, "password"),
      redirectTo: safeRedirectPath(form.get("redirectTo")),
    });
  } catch (error) {
    if (error instanceof CredentialsSignin)
      return { error: authMessage(error.code) ?? undefined, email };
    throw error; // includes Next's redirect signal on success
  }
  return {};
}

const requestClient = async () => clientAddress(await headers());

async function signUpAction(_previous: FormState, form: FormData): Promise<FormState> {
  const email = formText(form, "email");
  const password = formText(form, "password");
  const displayName = formText(form, "displayName");
  const policy = accountPolicy();
  if (!policy.signUpOpen) return { error: authMessage("signup-closed") ?? undefined };
  if (policy.emailVerificationRequired) {
    const input = { email, password, displayName };
    const result = await requestSignUp(
      await emailAccountDependencies(),
      input,
      await requestClient(),
    );
    if (!result.ok) return { error: result.message, field: result.field, email, displayName };
    sendAfterAnswer(result.mails);
    return { sent: true, email };
  }
  // Development defaults: the account is usable at once.
  const result = await registerAccount(await getAccountStore(), { email, password, displayName });
  if (!result.ok) return { error: result.message, field: result.field, email, displayName };
  await signIn("credentials", { email, password, redirectTo: "/chat" });
  return {};
}

/** "Forgot password": the same answer whether or not the address has an account. */
async function forgotPasswordAction(_previous: FormState, form: FormData): Promise<FormState> {
  const email = formText(form, "email");
  const result = await requestPasswordReset(
    await emailAccountDependencies(),
    email,
    await requestClient(),
  );
  if (!result.ok) return { error: result.message, field: result.field, email };
  sendAfterAnswer(result.mails);
  return { sent: true, email };
}

/** The link of a sign-up mail, with the password chosen at sign-up: confirms and signs in. */
async function confirmEmailAction(_previous: FormState, form: FormData): Promise<FormState> {
  const password = formText(form, "password");
  const result = await confirmEmail(
    await emailAccountDependencies(),
    { token: formText(form, "token"), password },
    await requestClient(),
  );
  if (!result.ok)
    return {
      error:
        result.reason === "link-invalid"
          ? (authMessage("link-invalid") ?? undefined)
          : "That is not the password chosen when the account was created. Forgot it? Reset it instead.",
    };
  return signInAction({}, toForm({ email: result.email, password, redirectTo: "/chat" }));
}

/** The link of a reset mail: sets the new password, which ends every session of the account. */
async function resetPasswordAction(_previous: FormState, form: FormData): Promise<FormState> {
  const result = await resetPassword(await emailAccountDependencies(), {
    token: formText(form, "token"),
    password: formText(form, "password"),
  });
  if (!result.ok)
    return result.reason === "weak-password" && "message" in result
      ? { error: result.message, field: "password" }
      : { error: authMessage("link-invalid") ?? undefined };
  redirect("/?reason=password-reset");
}

function toForm(values: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(values)) form.set(name, value);
  return form;
}

/**
 * "Sign out" on this device: ends this session only. The browser has disposed its credential and
 * forgotten the shared token already; ACS tokens stay valid, because ACS revokes per identity and the
 * person's other devices keep chatting with theirs.
 */
async function signOutAction(form: FormData): Promise<void> {
  const { user, signedOutReason } = await currentUser();
  if (user) await (await getSessionStore()).end(user.sessionId);
  // The browser reports "revoked" when the server refused tokens; say precisely why: an ended
  // session (its cookie still here) reads differently from an expired one (no cookie).
  const requested = formText(form, "reason");
  const reason =
    requested === "revoked" && !user
      ? signedOutReason === "revoked"
        ? "revoked"
        : "session-expired"
      : requested;
  const unsent = Number(formText(form, "unsent")) || 0;
  const query = new URLSearchParams();
  if (reason) query.set("reason", reason);
  if (unsent > 0) query.set("unsent", String(unsent));
  await signOut({ redirectTo: query.size ? `/?${query}` : "/" });
}

/**
 * "Sign out everywhere": ends every session of the user first (a token request queued behind the
 * revocation then finds its session dead), then revokes every ACS token of the identity.
 * From an already ended session it does nothing but clear this browser's cookie.
 */
async function signOutEverywhereAction(): Promise<void> {
  const { user } = await currentUser();
  if (!user) return signOut({ redirectTo: "/?reason=revoked" });
  await (await getSessionStore()).endAllOf(user.id);
  await revokeAcsTokensOf(user);
  await signOut({ redirectTo: "/?reason=signed-out-everywhere" });
}

/** Deletes the caller's ACS identity (the app account stays), then signs out this session. */
async function deleteAcsIdentityAction(): Promise<void> {
  const { user } = await currentUser();
  if (!user) return signOut({ redirectTo: "/?reason=revoked" });
  await (await serverCaller(user)).acs.identity.delete();
  await (await getSessionStore()).end(user.sessionId);
  await signOut({ redirectTo: "/?reason=identity-deleted" });
}

// Each action logs one line (request id, action, outcome, latency, user tag): server/action-log.ts.
const loggedSignInAction = loggedAction("auth.signIn", signInAction);
const loggedSignUpAction = loggedAction("auth.signUp", signUpAction);
const loggedForgotPasswordAction = loggedAction("auth.forgotPassword", forgotPasswordAction);
const loggedConfirmEmailAction = loggedAction("auth.confirmEmail", confirmEmailAction);
const loggedResetPasswordAction = loggedAction("auth.resetPassword", resetPasswordAction);
const loggedSignOutAction = loggedAction("auth.signOut", signOutAction);
const loggedSignOutEverywhereAction = loggedAction(
  "auth.signOutEverywhere",
  signOutEverywhereAction,
);
const loggedDeleteAcsIdentityAction = loggedAction(
  "auth.deleteAcsIdentity",
  deleteAcsIdentityAction,
);
export {
  loggedSignInAction as signInAction,
  loggedSignUpAction as signUpAction,
  loggedForgotPasswordAction as forgotPasswordAction,
  loggedConfirmEmailAction as confirmEmailAction,
  loggedResetPasswordAction as resetPasswordAction,
  loggedSignOutAction as signOutAction,
  loggedSignOutEverywhereAction as signOutEverywhereAction,
  loggedDeleteAcsIdentityAction as deleteAcsIdentityAction,
};
