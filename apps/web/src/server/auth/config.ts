// next-auth v5: email + password by default, Microsoft Entra ID and GitHub when configured.
// Sessions are JWTs that name a row of acs-server's `auth_sessions` (`sid`, see session-token.ts);
// the token's `sub` is always the app user id (`app_users.id`), the key acs-server maps to ACS.
import { CredentialsSignin, type Account, type NextAuthConfig, type Profile } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { authSecret, env } from "~/env";
import { safeRedirectPath } from "~/lib/safe-redirect";
import { getAccountStore, getEntraTokenVault, getLoginThrottle, getSessionStore } from "../db";
import { entraProvider } from "../entra/provider";
import { ENTRA_PROVIDER_ID, entraSettings } from "../entra/settings";
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
  const entra = entraSettings();
  if (entra) list.push(entraProvider(entra));
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
      async jwt({ token, user, account, profile, trigger }) {
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
          if (account.provider === ENTRA_PROVIDER_ID)
            await keepTeamsTokens(userId, account, profile);
        } else if (account && user?.id) {
          userId = user.id;
        }
        // Which provider this session signed in with (not a secret): only an Entra ID session may
        // use the Teams identity (entra/teams-user-token.ts).
        if (account && userId) token.signInProvider = account.provider;
        const resolved = await resolveSessionToken(token, userId ? { userId } : undefined, {
          create: async (id, details) => (await getSessionStore()).create(id, details),
          isActive: sessionIsLive,
        });
        // The person changed their display name (app/_actions/profile.ts): a live session's name is
        // read again from the database, never taken from what the request sent.
        if (resolved?.sub && trigger === "update") {
          const appUser = await (await getAccountStore()).findById(resolved.sub);
          if (appUser) resolved.name = appUser.displayName;
        }
        return resolved;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        if (token.sid) session.sessionId = token.sid;
        if (token.signInProvider) session.signInProvider = token.signInProvider;
        return session;
      },
    },
  };
}

/**
 * With AUTH_MICROSOFT_ENTRA_ID_TEAMS, the sign-in's Entra tokens go to the server-side store (never
 * into the session cookie: this callback returns the token without them).
 */
async function keepTeamsTokens(
  userId: string,
  account: Account,
  profile: Profile | undefined,
): Promise<void> {
  if (!entraSettings()?.teams || typeof account.access_token !== "string") return;
  const lifetime = account.expires_at ?? Math.floor(Date.now() / 1000) + 3600;
  await (
    await getEntraTokenVault()
  ).save(userId, {
    objectId: account.providerAccountId,
    tenantId: typeof profile?.tid === "string" ? profile.tid : null,
    accessToken: account.access_token,
    refreshToken: typeof account.refresh_token === "string" ? account.refresh_token : null,
    expiresAt: new Date(lifetime * 1000),
  });
}
