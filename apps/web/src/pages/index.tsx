// The start page, `/`: what this is, the sign-in and sign-up forms, OAuth buttons, and why the
// visitor was signed out. A Pages Router page rendered on the server with no runtime JavaScript
// (`unstable_runtimeJS: false`): an App Router page always loads React DOM and the router, about
// 130 KiB gzip, over the issue's 120 KiB budget for this page. Its forms are plain HTML posts to
// route handlers (app/auth/*/route.ts), which answer 303 and pass what the form says back in a
// signed flash cookie (server/http/form-flash.ts). Its one script is the unsent-messages notice.
import type { IncomingMessage, ServerResponse } from "node:http";
import type {
  GetServerSideProps,
  GetServerSidePropsContext,
  GetServerSidePropsResult,
  PageConfig,
} from "next";
import Head from "next/head";
import Link from "next/link";
import { authSecret, env } from "~/env";
import { authMessage } from "~/lib/auth-messages";
import type { FormState } from "~/lib/form";
import { accountPolicy } from "~/server/auth/account-policy";
import { configuredOAuthProviders, type OAuthProviderOption } from "~/server/auth/oauth-providers";
import { isSessionCookie } from "~/server/auth/session-cookie";
import { servedOverHttps } from "~/server/http/app-origins";
import {
  FORM_FLASH_COOKIE,
  clearedFormFlashSetCookie,
  decodeFormFlash,
  type FlashForm,
} from "~/server/http/form-flash";
import { OAuthButtons, SignInForm, SignUpForm } from "../app/_components/auth-forms";
import { SiteNav } from "../app/_components/site-nav";
import { UnsentNotice } from "../app/_components/unsent-notice";

// Render on the server only: no Next.js runtime, no React in the browser (production builds).
export const config: PageConfig = { unstable_runtimeJS: false };

interface HomeProps {
  notice: string | null;
  callbackUrl: string | null;
  providers: OAuthProviderOption[];
  signUpOpen: boolean;
  /** What each form says after a refused post (empty otherwise). */
  forms: Record<FlashForm, FormState>;
  nonce: string;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** JSON-safe (props may not hold undefined). */
const withoutUndefined = (state: FormState): FormState =>
  Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined));

/** What form-flash.ts left for this page, read once: the cookie is removed in the same answer. */
function takeFormFlash(
  req: IncomingMessage & { cookies: Partial<Record<string, string>> },
  res: ServerResponse,
) {
  const value = req.cookies[FORM_FLASH_COOKIE];
  if (value === undefined) return undefined;
  const headers = new Headers();
  for (const name of ["host", "x-forwarded-host", "x-forwarded-proto"]) {
    const header = first(req.headers[name]);
    if (header) headers.set(name, header);
  }
  const url = `http://${first(req.headers.host) ?? "localhost"}${req.url ?? "/"}`;
  res.appendHeader("set-cookie", clearedFormFlashSetCookie(servedOverHttps({ headers, url }, env)));
  return decodeFormFlash(value, authSecret());
}

function startPage({
  req,
  res,
  query,
  resolvedUrl,
}: GetServerSidePropsContext): GetServerSidePropsResult<HomeProps> {
  // Someone with a session cookie: app/auth/continue checks it (signed in: on to their chats).
  if (Object.keys(req.cookies).some(isSessionCookie)) {
    return {
      redirect: {
        destination: `/auth/continue?${new URLSearchParams({ from: resolvedUrl })}`,
        permanent: false,
      },
    };
  }
  // `reason` is ours (revoked, session-expired); `code`/`error` come from next-auth redirects.
  const message = authMessage(
    first(query.reason) ?? first(query.code) ?? (first(query.error) ? "unexpected" : undefined),
  );
  const unsent = Number(first(query.unsent)) || 0;
  const flash = takeFormFlash(req, res);
  const forms: Record<FlashForm, FormState> = { "sign-in": {}, "sign-up": {} };
  if (flash) forms[flash.form] = withoutUndefined(flash.state);
  return {
    props: {
      notice:
        message &&
        `${message}${unsent > 0 ? ` ${unsent === 1 ? "1 message" : `${unsent} messages`} could not be sent (listed below).` : ""}`,
      callbackUrl: first(query.callbackUrl) ?? null,
      providers: configuredOAuthProviders(),
      signUpOpen: accountPolicy().signUpOpen,
      forms,
      nonce: first(req.headers["x-nonce"]) ?? "",
    },
  };
}

export const getServerSideProps: GetServerSideProps<HomeProps> = (context) =>
  Promise.resolve(startPage(context));

export default function HomePage({
  notice,
  callbackUrl,
  providers,
  signUpOpen,
  forms,
  nonce,
}: HomeProps) {
  return (
    <>
      <Head>
        <title>acs-stack</title>
        <meta name="description" content="Secure Azure Communication Services chat on Next.js" />
        {/* The root layout's viewport (app/layout.tsx): the on-screen keyboard resizes the page. */}
        <meta
          name="viewport"
          content="width=device-width, initial-scale=1, interactive-widget=resizes-content"
        />
        <meta
          key="theme-color-light"
          name="theme-color"
          media="(prefers-color-scheme: light)"
          content="#fafafa"
        />
        <meta
          key="theme-color-dark"
          name="theme-color"
          media="(prefers-color-scheme: dark)"
          content="#111111"
        />
        <link rel="icon" href="/icon.svg" type="image/svg+xml" sizes="any" />
        <link rel="manifest" href="/manifest.webmanifest" />
      </Head>
      <header className="site">
        <SiteNav signedIn={false} />
      </header>
      <main>
        <h1>acs-stack</h1>
        <p>
          Chat on Azure Communication Services with your app account. Sign in, and the server maps
          you to one ACS identity and hands your browser a short-lived ACS token with only the
          scopes it needs. No keys ever reach the browser. Without an Azure resource, a local ACS
          emulator plays the part.
        </p>
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <UnsentNotice nonce={nonce} />
        <div className="cards">
          <section className="card" aria-labelledby="sign-in-heading">
            <h2 id="sign-in-heading">Sign in</h2>
            <SignInForm redirectTo={callbackUrl ?? undefined} state={forms["sign-in"]} />
            <p>
              <Link href="/forgot-password">Forgot your password?</Link>
            </p>
            <OAuthButtons providers={providers} />
          </section>
          {signUpOpen && (
            <section className="card" aria-labelledby="sign-up-heading">
              <h2 id="sign-up-heading">Create an account</h2>
              <SignUpForm state={forms["sign-up"]} />
            </section>
          )}
        </div>
      </main>
    </>
  );
}
