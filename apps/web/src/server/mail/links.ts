// Links in account mail: always the app's own origin (AUTH_URL), a fixed path and the token; never
// the request's Host header (an attacker could point it elsewhere and receive the token) and never
// a caller-supplied redirect.
export type AccountLinkPath = "/verify-email" | "/reset-password" | "/forgot-password";

/** `next dev`/`npm start` serve http://localhost:3000 when AUTH_URL is unset. */
const DEVELOPMENT_ORIGIN = "http://localhost:3000";

export function appOrigin(settings: { AUTH_URL?: string; NODE_ENV: string }): string {
  if (settings.AUTH_URL) return new URL(settings.AUTH_URL).origin;
  if (settings.NODE_ENV === "production")
    throw new Error("AUTH_URL is not set: account mail needs the app's public URL for its links.");
  return DEVELOPMENT_ORIGIN;
}

export function accountLink(
  path: AccountLinkPath,
  token: string | undefined,
  origin: string,
): string {
  const url = new URL(path, origin);
  if (token) url.searchParams.set("token", token);
  return url.toString();
}
