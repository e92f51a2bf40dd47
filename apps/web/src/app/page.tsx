import Link from "next/link";
import { authMessage } from "~/lib/auth-messages";
import { currentUser } from "~/server/session";
import { accountPolicy } from "~/server/auth/account-policy";
import { configuredOAuthProviders } from "~/server/auth/config";
import { OAuthButtons, SignInForm, SignUpForm } from "./_components/auth-forms";
import { UnsentNotice } from "./_components/unsent-notice";

export const dynamic = "force-dynamic";

export default async function HomePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  // `reason` is ours (revoked, session-expired); `code`/`error` come from next-auth redirects.
  const message = authMessage(
    first(params.reason) ?? first(params.code) ?? (first(params.error) ? "unexpected" : undefined),
  );
  const unsent = Number(first(params.unsent)) || 0;
  const { user } = await currentUser();

  return (
    <main>
      <h1>acs-stack</h1>
      <p>
        Chat on Azure Communication Services with your app account. Sign in, and the server maps you
        to one ACS identity and hands your browser a short-lived ACS token with only the scopes it
        needs. No keys ever reach the browser. Without an Azure resource, a local ACS emulator plays
        the part.
      </p>
      {message && (
        <p role="status" className="notice">
          {message}
          {unsent > 0 &&
            ` ${unsent === 1 ? "1 message" : `${unsent} messages`} could not be sent (listed below).`}
        </p>
      )}
      <UnsentNotice />
      {user ? (
        <p>
          You are signed in as {user.name ?? user.email}. Go to <Link href="/chat">your chats</Link>{" "}
          or <Link href="/account">your ACS identity</Link>.
        </p>
      ) : (
        <div className="cards">
          <section className="card" aria-labelledby="sign-in-heading">
            <h2 id="sign-in-heading">Sign in</h2>
            <SignInForm redirectTo={first(params.callbackUrl)} />
            <p>
              <Link href="/forgot-password">Forgot your password?</Link>
            </p>
            <OAuthButtons providers={configuredOAuthProviders()} />
          </section>
          {accountPolicy().signUpOpen && (
            <section className="card" aria-labelledby="sign-up-heading">
              <h2 id="sign-up-heading">Create an account</h2>
              <SignUpForm />
            </section>
          )}
        </div>
      )}
    </main>
  );
}
