"use server";
// Server actions behind the mailed-link forms and the sign-out buttons. The start page's sign-in and
// sign-up forms post to route handlers instead (app/auth/*/route.ts: that page ships no React); both
// share server/auth/sign-in-steps.ts. The user comes from currentUser(), which refuses an ended
// session, so a cookie of a session ended elsewhere changes nothing here.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { authMessage } from "~/lib/auth-messages";
import { formText, type FormState } from "~/lib/form";
import { serverCaller } from "~/server/acs";
import { signOut } from "~/server/auth";
import { clientAddress } from "~/server/auth/client-address";
import { emailAccountDependencies } from "~/server/auth/email-account-deps";
import { confirmEmail, requestPasswordReset, resetPassword } from "~/server/auth/email-accounts";
import { proceeds, signInFromForm } from "~/server/auth/sign-in-steps";
import { signOutEverywhere } from "~/server/auth/sign-out-everywhere";
import { sendAfterAnswer } from "~/server/mail/outbox";
import { getSessionStore } from "~/server/db";
import { loggedAction } from "~/server/action-log";
import { currentUser } from "~/server/session";

export type { FormState };

const requestClient = async () => clientAddress(await headers());

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
  const outcome = await signInFromForm(
    toForm({ email: result.email, password, redirectTo: "/chat" }),
  );
  if (proceeds(outcome)) redirect(outcome.location);
  return outcome;
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
 * "Sign out everywhere": ends every session of the user, drops the Entra tokens the server keeps for
 * Teams and revokes every ACS token of the identity (server/auth/sign-out-everywhere.ts).
 * From an already ended session it does nothing but clear this browser's cookie.
 */
async function signOutEverywhereAction(): Promise<void> {
  const { user } = await currentUser();
  if (!user) return signOut({ redirectTo: "/?reason=revoked" });
  await signOutEverywhere(user);
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
  loggedForgotPasswordAction as forgotPasswordAction,
  loggedConfirmEmailAction as confirmEmailAction,
  loggedResetPasswordAction as resetPasswordAction,
  loggedSignOutAction as signOutAction,
  loggedSignOutEverywhereAction as signOutEverywhereAction,
  loggedDeleteAcsIdentityAction as deleteAcsIdentityAction,
};
