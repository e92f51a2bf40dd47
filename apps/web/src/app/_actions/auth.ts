"use server";
// Server actions behind the sign-in, sign-up and sign-out forms. The user comes from currentUser(),
// which refuses an ended session, so a cookie of a session ended elsewhere changes nothing here.
import { CredentialsSignin } from "next-auth";
import { authMessage } from "~/lib/auth-messages";
import { formText } from "~/lib/form";
import { safeRedirectPath } from "~/lib/safe-redirect";
import { revokeAcsTokensOf, serverCaller } from "~/server/acs";
import { signIn, signOut } from "~/server/auth";
import { registerAccount } from "~/server/auth/credentials";
import { getAccountStore, getSessionStore } from "~/server/db";
import { loggedAction } from "~/server/action-log";
import { currentUser } from "~/server/session";

export interface FormState {
  error?: string;
  field?: string;
  /** Values sent back so the form keeps what the person typed (never the password). */
  email?: string;
  displayName?: string;
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

async function signUpAction(_previous: FormState, form: FormData): Promise<FormState> {
  const email = formText(form, "email");
  const password = formText(form, "password");
  const displayName = formText(form, "displayName");
  const result = await registerAccount(await getAccountStore(), { email, password, displayName });
  if (!result.ok) return { error: result.message, field: result.field, email, displayName };
  await signIn("credentials", { email, password, redirectTo: "/chat" });
  return {};
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
  loggedSignOutAction as signOutAction,
  loggedSignOutEverywhereAction as signOutEverywhereAction,
  loggedDeleteAcsIdentityAction as deleteAcsIdentityAction,
};
