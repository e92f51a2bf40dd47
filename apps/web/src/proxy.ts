// Next 16's request proxy (formerly middleware): a fresh CSP nonce and the page security headers for
// every response except /api/trpc (its route sets its own, and must see the raw body stream: a proxy
// makes Next buffer bodies up to 10 MB before the route's 1 MiB limit could refuse them) and the
// immutable build assets. Next reads the nonce from the request's CSP header and puts it on its scripts.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "~/env";
import { acsConnectSources } from "~/server/http/acs-origins";
import { ownOrigin } from "~/server/http/app-origins";
import { oauthFormActionSources } from "~/server/http/oauth-origins";
import {
  STRICT_TRANSPORT_SECURITY,
  createNonce,
  documentContentSecurityPolicy,
  sendsStrictTransportSecurity,
} from "~/server/http/security-headers";

export function proxy(request: NextRequest) {
  const nonce = createNonce();
  const appUrl = ownOrigin(request, env);
  const https = sendsStrictTransportSecurity(env.NODE_ENV, appUrl);
  const policy = documentContentSecurityPolicy({
    nonce,
    connectSources: [...acsConnectSources(env), ...env.APP_CSP_CONNECT_SRC],
    formActionSources: oauthFormActionSources(env),
    development: env.NODE_ENV === "development",
    https,
  });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  requestHeaders.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  if (https) response.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  matcher: ["/((?!api/trpc(?:/|$)|_next/static/|_next/image|favicon\\.ico$).*)"],
};
