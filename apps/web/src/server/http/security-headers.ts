// Response headers that limit what a page can do once loaded (OWASP ASVS 4.0.3 V14.4, Secure
// Headers Project). Pure functions: next.config.ts, proxy.ts and the tRPC route share them.

/** Headers that never vary: on every response (next.config.ts `headers()`). */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Nothing in the app uses these yet; calls (camera, microphone) will opt back in for 'self'.
  {
    key: "Permissions-Policy",
    value:
      "camera=(), microphone=(), geolocation=(), display-capture=(), payment=(), usb=(), browsing-topics=()",
  },
];

/** Two years, the HSTS preload list's minimum; subdomains too (a sibling host could set cookies). */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

export interface DocumentPolicyOptions {
  /** Fresh per response; Next puts it on its scripts (it reads it from the request's CSP header). */
  nonce: string;
  /** Where the browser's chat SDK connects besides the app itself (the ACS endpoint, …). */
  connectSources: readonly string[];
  /** Where the page's forms may lead besides the app (OAuth providers' sign-in pages, oauth-origins.ts). */
  formActionSources?: readonly string[];
  /** `next dev`: React needs eval for its error overlay, and dev styles are injected inline. */
  development: boolean;
  /** The app is served over https: upgrade any stray http subresource. */
  https: boolean;
}

/** The Content-Security-Policy of HTML pages. */
export function documentContentSecurityPolicy(options: DocumentPolicyOptions): string {
  const nonce = `'nonce-${options.nonce}'`;
  const directives = [
    "default-src 'self'",
    `script-src 'self' ${nonce} 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    // <style> elements need the nonce; style="" attributes (React's style prop) cannot carry one.
    options.development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' ${nonce}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    ["connect-src 'self'", ...options.connectSources].join(" "),
    "object-src 'none'",
    "base-uri 'self'",
    ["form-action 'self'", ...(options.formActionSources ?? [])].join(" "),
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** The Content-Security-Policy of API responses (JSON, server-sent events): nothing may run or embed them. */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** HSTS only where it means something: production served over https (never http://localhost). */
export function sendsStrictTransportSecurity(nodeEnv: string, appUrl: string): boolean {
  return nodeEnv === "production" && new URL(appUrl).protocol === "https:";
}

/** A fresh CSP nonce: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
