"use server";
import { formText } from "~/lib/form";
// Server actions behind the sign-in, sign-up and sign-out forms.
import { CredentialsSignin } from "next-auth";
import { authMessage } from "~/lib/auth-messages";
import { auth, signIn, signOut } from "~/server/auth";
import { registerAccount } from "~/server/auth/credentials";
import { revokeAcsTokensOf, serverCaller } from "~/server/acs";
import { getAccountStore } from "~/server/db";

export interface FormState {
  error?: string;
  field?: string;
  /** Values sent back so the form keeps what the person typed (never the password). */
  email?: string;
  displayName?: string;
}

function safeRedirect(value: FormDataEntryValue | null): string {
  const path = typeof value === "string" ? value : "";
  return path.startsWith("/") && !path.startsWith("//") ? path : "/chat";
}

export async function signInAction(_previous: FormState, form: FormData): Promise<FormState> {
  const email = formText(form, "email");
  try {
    await signIn("credentials", {
      email,
      password: formText(form, "password"),
      redirectTo: safeRedirect(form.get("redirectTo")),
    });
  } catch (error) {
    if (error instanceof CredentialsSignin) return { error: authMessage(error.code) ?? undefined, email };
    throw error; // includes Next's redirect signal on success
  }
  return {};
}

export async function signUpAction(_previous: FormState, form: FormData): Promise<FormState> {
  const email = formText(form, "email");
  const password = formText(form, "password");
  const displayName = formText(form, "displayName");
  const result = await registerAccount(await getAccountStore(), { email, password, displayName });
  if (!result.ok) return { error: result.message, field: result.field, email, displayName };
  await signIn("credentials", { email, password, redirectTo: "/chat" });
  return {};
}

/** Signs out and revokes this user's ACS tokens, so a token copied out of the browser dies too. */
export async function signOutAction(form: FormData): Promise<void> {
  const session = await auth();
  const requested = formText(form, "reason");
  // A forced sign-out after a revocation must not revoke again (that could end a newer session).
  if (session?.user?.id && requested !== "revoked") {
    await revokeAcsTokensOf({ id: session.user.id }).catch((error: unknown) => console.error(error));
  }
  // The browser reports "revoked" when the server refused tokens; say precisely why: an expired
  // session (no valid session cookie) reads differently from a revocation.
  const reason = requested === "revoked" && !session?.user?.id ? "session-expired" : requested;
  const unsent = Number(formText(form, "unsent")) || 0;
  const query = new URLSearchParams();
  if (reason) query.set("reason", reason);
  if (unsent > 0) query.set("unsent", String(unsent));
  await signOut({ redirectTo: query.size ? `/?${query}` : "/" });
}

/** "Sign out everywhere": revoke every ACS token; sessions that began before now stop counting. */
export async function signOutEverywhereAction(): Promise<void> {
  const session = await auth();
  if (session?.user?.id) await revokeAcsTokensOf({ id: session.user.id });
  await signOut({ redirectTo: "/?reason=signed-out-everywhere" });
}

/** Deletes the caller's ACS identity (the app account stays), then signs out. */
export async function deleteAcsIdentityAction(): Promise<void> {
  const session = await auth();
  if (session?.user?.id) await (await serverCaller({ id: session.user.id })).acs.identity.delete();
  await signOut({ redirectTo: "/?reason=identity-deleted" });
}
