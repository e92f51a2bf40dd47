// next-auth v5: email + password by default, Microsoft Entra ID and GitHub when configured.
// Sessions are JWTs (no session table, so the same config works on Vercel and the Edge); the
// token's `sub` is always the app user id (`app_users.id`), the key acs-server maps to ACS.
import { CredentialsSignin, type NextAuthConfig } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { authSecret, env } from "~/env";
import { getAccountStore } from "../db";
import { authorizeWithPassword } from "./credentials";

export function configuredOAuthProviders(): Array<{ id: string; name: string }> {
  const providers: Array<{ id: string; name: string }> = [];
  if (env.AUTH_MICROSOFT_ENTRA_ID_ID && env.AUTH_MICROSOFT_ENTRA_ID_SECRET) {
    providers.push({ id: "microsoft-entra-id", name: "Microsoft" });
  }
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) providers.push({ id: "github", name: "GitHub" });
  return providers;
}

function providers(): Provider[] {
  const list: Provider[] = [
    Credentials({
      id: "credentials",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(input) {
        const user = await authorizeWithPassword(await getAccountStore(), input);
        return { id: user.id, email: user.email, name: user.displayName };
      },
    }),
  ];
  if (env.AUTH_MICROSOFT_ENTRA_ID_ID && env.AUTH_MICROSOFT_ENTRA_ID_SECRET) {
    list.push(
      MicrosoftEntraID({
        clientId: env.AUTH_MICROSOFT_ENTRA_ID_ID,
        clientSecret: env.AUTH_MICROSOFT_ENTRA_ID_SECRET,
        issuer: env.AUTH_MICROSOFT_ENTRA_ID_ISSUER,
      }),
    );
  }
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
    list.push(GitHub({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET }));
  }
  return list;
}

export function createAuthConfig(): NextAuthConfig {
  return {
    secret: authSecret(),
    trustHost: true,
    session: { strategy: "jwt" },
    pages: { signIn: "/", error: "/" },
    logger: {
      // A refused password is an expected outcome shown on the page, not a server error.
      error(error) {
        if (error instanceof CredentialsSignin) return;
        console.error(error);
      },
    },
    providers: providers(),
    callbacks: {
      async jwt({ token, user, account, profile }) {
        // OAuth sign-ins: map the provider's person to one app user, keyed by verified email.
        if (account && account.type !== "credentials") {
          const email = (profile?.email ?? user?.email)?.toLowerCase();
          if (!email) throw new Error("The identity provider did not share an email address.");
          const store = await getAccountStore();
          const existing = await store.findByEmail(email);
          const appUser =
            existing ??
            (await store.createUser({ email, displayName: user?.name ?? email.split("@")[0]!, passwordHash: null }));
          token.sub = appUser.id;
          token.name = appUser.displayName;
          token.email = appUser.email;
        } else if (user?.id) {
          token.sub = user.id;
        }
        // When this sign-in happened: "Sign out everywhere" ends sessions that started before it.
        if (account) token.signedInAt = Date.now();
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        if (typeof token.signedInAt === "number") session.signedInAt = token.signedInAt;
        return session;
      },
    },
  };
}
