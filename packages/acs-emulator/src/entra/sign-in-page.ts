// The local Entra ID's pages: the sign-in form and the error page Entra shows instead of redirecting
// (unknown client, bad redirect URI). Plain HTML, no script, no external assets; a strict CSP and no
// framing (clickjacking), every echoed value HTML-escaped.
import type { EmulatorResponse } from "../http/types";

// form-action also governs the redirect that answers the form (Chrome), so it names the app's origin.
const csp = (formAction: string) =>
  `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": csp("'none'"),
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  // Not no-referrer: with it a browser sends `Origin: null` on the form's own POST (Fetch §3.1,
  // "serializing a request origin"), which the CORS check refuses. same-origin still tells the app
  // nothing when the answer redirects there.
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
} as const;

const STYLE =
  "body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}" +
  "label{display:block;margin-top:1rem}input{display:block;width:100%;padding:.4rem;box-sizing:border-box}" +
  "button{margin-top:1.5rem;padding:.5rem 1.5rem}.error{color:#a80000}";

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

function page(
  status: number,
  title: string,
  body: string,
  headers: Readonly<Record<string, string>> = PAGE_HEADERS,
): EmulatorResponse {
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="referrer" content="same-origin"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head><body>${body}</body></html>`;
  return { status, headers, html };
}

export interface SignInForm {
  /** The pending sign-in's id, posted back with the credentials. */
  readonly flow: string;
  readonly clientId: string;
  /** Origin of the redirect URI (the answer to the form redirects there). */
  readonly redirectOrigin: string;
  readonly username?: string;
  /** e.g. "AADSTS50126: Error validating credentials due to invalid username or password." */
  readonly error?: string;
}

export function signInPage(form: SignInForm): EmulatorResponse {
  const error =
    form.error === undefined
      ? ""
      : `<p id="sign-in-error" class="error" role="alert">${escapeHtml(form.error)}</p>`;
  return page(
    200,
    "Sign in to your account",
    `<main><h1>Sign in</h1>` +
      `<p>Local Entra ID (ACS emulator) for application <code>${escapeHtml(form.clientId)}</code></p>` +
      error +
      `<form method="post" autocomplete="off">` +
      `<input type="hidden" name="flow" value="${escapeHtml(form.flow)}">` +
      `<label for="username">Username</label>` +
      `<input id="username" name="username" type="text" required autocapitalize="none" spellcheck="false"` +
      ` value="${escapeHtml(form.username ?? "")}"${form.error === undefined ? "" : ' aria-describedby="sign-in-error"'}>` +
      `<label for="password">Password</label>` +
      `<input id="password" name="password" type="password" required>` +
      `<button type="submit">Sign in</button></form></main>`,
    { ...PAGE_HEADERS, "content-security-policy": csp(`'self' ${form.redirectOrigin}`) },
  );
}

/** The page Entra shows when it cannot (or must not) redirect back to the application. */
export function errorPage(aadsts: number, description: string): EmulatorResponse {
  // 200, as Entra's error pages: https://learn.microsoft.com/previous-versions/azure/dn645544(v=azure.100)
  return page(
    200,
    "Sign in error",
    `<main><h1>Sorry, but we're having trouble signing you in.</h1>` +
      `<p id="error" role="alert">${escapeHtml(`AADSTS${aadsts}: ${description}`)}</p></main>`,
  );
}
