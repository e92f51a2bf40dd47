"use server";
import { formText } from "~/lib/form";
import { loggedAction } from "~/server/action-log";
import { signIn } from "~/server/auth";
import { configuredOAuthProviders } from "~/server/auth/config";

async function oauthSignInAction(form: FormData): Promise<void> {
  const provider = formText(form, "provider");
  if (!configuredOAuthProviders().some((p) => p.id === provider))
    throw new Error("Unknown sign-in provider.");
  await signIn(provider, { redirectTo: "/chat" });
}

// One log line per call (server/action-log.ts).
const loggedOauthSignInAction = loggedAction("auth.oauthSignIn", oauthSignInAction);
export { loggedOauthSignInAction as oauthSignInAction };
