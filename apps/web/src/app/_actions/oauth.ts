"use server";
import { formText } from "~/lib/form";
import { signIn } from "~/server/auth";
import { configuredOAuthProviders } from "~/server/auth/config";

export async function oauthSignInAction(form: FormData): Promise<void> {
  const provider = formText(form, "provider");
  if (!configuredOAuthProviders().some((p) => p.id === provider))
    throw new Error("Unknown sign-in provider.");
  await signIn(provider, { redirectTo: "/chat" });
}
