import "server-only";
// The steps behind the start page's forms (sign in, create account, OAuth), shared by their route
// handlers (app/auth/*/route.ts, plain HTML form posts) and the server action that confirms a
// mailed link (app/_actions/auth.ts). Each answers where the browser goes next, or what the form
// says; the caller turns that into a redirect. Rate limits, enumeration-safe answers and mails
// after the answer live in the functions called here (credentials.ts, email-accounts.ts).
import { CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { authMessage } from "~/lib/auth-messages";
import { formText, type FormState } from "~/lib/form";
import { safeRedirectPath } from "~/lib/safe-redirect";
import { sendAfterAnswer } from "../mail/outbox";
import { getAccountStore } from "../db";
import { signIn } from "./index";
import { accountPolicy } from "./account-policy";
import { clientAddress } from "./client-address";
import { registerAccount } from "./credentials";
import { emailAccountDependencies } from "./email-account-deps";
import { requestSignUp } from "./email-accounts";
import { configuredOAuthProviders } from "./oauth-providers";

/** Done: go to `location` (a path of this site, or an OAuth provider's sign-in page). */
export interface Proceed {
  location: string;
}

export type FormOutcome = Proceed | FormState;

export const proceeds = (outcome: FormOutcome): outcome is Proceed => "location" in outcome;

/** Email + password; `redirectTo` is followed only when it is a path of this site. */
export async function signInFromForm(form: FormData): Promise<FormOutcome> {
  const email = formText(form, "email");
  const location = safeRedirectPath(form.get("redirectTo"));
  try {
    // Sets the session cookie (next/headers cookies) and answers with the URL instead of throwing
    // Next's redirect signal, so a route handler can answer 303 See Other.
    await signIn("credentials", {
      email,
      password: formText(form, "password"),
      redirectTo: location,
      redirect: false,
    });
  } catch (error) {
    if (error instanceof CredentialsSignin)
      return { error: authMessage(error.code) ?? undefined, email };
    throw error;
  }
  return { location };
}

/**
 * A new email + password account. With email verification (production) it answers "check your
 * inbox" whatever the address; with the development defaults the account is usable at once.
 */
export async function signUpFromForm(form: FormData): Promise<FormOutcome> {
  const email = formText(form, "email");
  const password = formText(form, "password");
  const displayName = formText(form, "displayName");
  const policy = accountPolicy();
  if (!policy.signUpOpen) return { error: authMessage("signup-closed") ?? undefined };
  if (policy.emailVerificationRequired) {
    const result = await requestSignUp(
      await emailAccountDependencies(),
      { email, password, displayName },
      clientAddress(await headers()),
    );
    if (!result.ok) return { error: result.message, field: result.field, email, displayName };
    sendAfterAnswer(result.mails);
    return { sent: true, email };
  }
  const result = await registerAccount(await getAccountStore(), { email, password, displayName });
  if (!result.ok) return { error: result.message, field: result.field, email, displayName };
  const signedIn = new FormData();
  signedIn.set("email", email);
  signedIn.set("password", password);
  return signInFromForm(signedIn);
}

/** A configured OAuth provider's sign-in page (its state and PKCE cookies are set), or a refusal. */
export async function oauthSignInFromForm(form: FormData): Promise<FormOutcome> {
  const provider = formText(form, "provider");
  if (!configuredOAuthProviders().some((p) => p.id === provider))
    return { error: "Unknown sign-in provider." };
  const location: unknown = await signIn(provider, { redirectTo: "/chat", redirect: false });
  if (typeof location !== "string") throw new Error("The OAuth sign-in gave no address.");
  return { location };
}
