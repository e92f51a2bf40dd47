// next-auth v5: email + password by default, Microsoft Entra ID and GitHub when configured.
// Sessions are JWTs that name a row of acs-server's `auth_sessions` (`sid`, see session-token.ts);
// the token's `sub` is always the app user id (`app_users.id`), the key acs-server maps to ACS.
import { CredentialsSignin, type NextAuthConfig } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { authSecret, env } from "~/env";
import { safeRedirectPath } from "~/lib/safe-redirect";
import { getAccountStore, getLoginThrottle, getSessionStore } from "../db";
import { accountPolicy } from "./account-policy";
import { clientAddress } from "./client-address";
import { authorizeWithPassword } from "./credentials";
import { githubUserinfoWithVerifiedEmail } from "./github-verified-email";
import { appUserForOAuthSignIn } from "./oauth-linking";
import { sessionIsLive } from "./session-activity";
import { resolveSessionToken } from "./session-token";

function providers(): Provider[] {
  const list: Provider[] = [
    Credentials({
      id: "credentials",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(input, request) {
        const [users, throttle] = await Promise.all([getAccountStore(), getLoginThrottle()]);
        const user = await authorizeWithPassword(
          { users, throttle, requireVerifiedEmail: accountPolicy().emailVerificationRequired },
          input,
          clientAddress(request.headers),
        );
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
    list.push(
      GitHub({
        clientId: env.AUTH_GITHUB_ID,
        clientSecret: env.AUTH_GITHUB_SECRET,
        userinfo: githubUserinfoWithVerifiedEmail,
      }),
    );
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
      // Only paths of this site (callbackUrl comes from links anyone can send).
      redirect({ url, baseUrl }) {
        if (url.startsWith(baseUrl))
          return `${baseUrl}${safeRedirectPath(url.slice(baseUrl.length) || "/", "/")}`;
        return `${baseUrl}${safeRedirectPath(url, "/")}`;
      },
      async jwt({ token, user, account, profile }) {
        let userId: string | undefined;
        if (account && account.type !== "credentials") {
          // OAuth: an existing account only through its link or a vouched-for email (oauth-linking.ts).
          const appUser = await appUserForOAuthSignIn(
            await getAccountStore(),
            { provider: account.provider, providerAccountId: account.providerAccountId },
            profile,
            user?.name,
          );
          userId = appUser.id;
          token.name = appUser.displayName;
          token.email = appUser.email;
        } else if (account && user?.id) {
          userId = user.id;
        }
        return resolveSessionToken(token, userId ? { userId } : undefined, {
          create: async (id, details) => (await getSessionStore()).create(id, details),
          isActive: sessionIsLive,
        });
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        if (token.sid) session.sessionId = token.sid;
        return session;
      },
    },
  };
}
