// Where the start page's "Sign in with …" forms end up: /auth/oauth answers 303 to the provider's
// authorization endpoint, and Chromium checks every redirect of a form submission against the
// page's CSP `form-action` (https://www.w3.org/TR/CSP3/#directive-form-action), so those origins
// must be listed there or the button does nothing.

export interface OAuthProviderSettings {
  AUTH_MICROSOFT_ENTRA_ID_ID?: string;
  AUTH_MICROSOFT_ENTRA_ID_SECRET?: string;
  AUTH_MICROSOFT_ENTRA_ID_ISSUER?: string;
  AUTH_GITHUB_ID?: string;
  AUTH_GITHUB_SECRET?: string;
}

/** Entra ID's authorize endpoint is on its issuer's origin (login.microsoftonline.com, or the emulator). */
const ENTRA_DEFAULT_ORIGIN = "https://login.microsoftonline.com";

export function oauthFormActionSources(settings: OAuthProviderSettings): string[] {
  const sources: string[] = [];
  if (settings.AUTH_MICROSOFT_ENTRA_ID_ID && settings.AUTH_MICROSOFT_ENTRA_ID_SECRET) {
    const issuer = settings.AUTH_MICROSOFT_ENTRA_ID_ISSUER;
    sources.push(issuer && URL.canParse(issuer) ? new URL(issuer).origin : ENTRA_DEFAULT_ORIGIN);
  }
  if (settings.AUTH_GITHUB_ID && settings.AUTH_GITHUB_SECRET) sources.push("https://github.com");
  return sources;
}
