// The origins the app is served from: the ones a browser names in `Origin` when the app's own pages
// call /api/trpc. AUTH_URL (next-auth's public URL) when set; otherwise the origin the request was
// made to — behind a trusted proxy (AUTH_TRUST_HOST) its X-Forwarded-* headers, else the URL Next
// built for the request (http://localhost:3000 for `npm start`). APP_ALLOWED_ORIGINS adds more.

export interface AppOriginSettings {
  AUTH_URL?: string;
  AUTH_TRUST_HOST?: string;
  APP_ALLOWED_ORIGINS: readonly string[];
}

const isTrue = (value: string | undefined) =>
  value !== undefined && /^(1|true)$/i.test(value.trim());

/** The app's own origin for this request (no allow-list). */
export function ownOrigin(
  request: Pick<Request, "headers" | "url">,
  settings: AppOriginSettings,
): string {
  if (settings.AUTH_URL) return new URL(settings.AUTH_URL).origin;
  if (isTrue(settings.AUTH_TRUST_HOST)) {
    const host =
      request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
    const proto =
      request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ||
      new URL(request.url).protocol.replace(":", "");
    if (host) return new URL(`${proto}://${host}`).origin;
  }
  return new URL(request.url).origin;
}

/** Every origin allowed to call the API for this request. */
export function appOrigins(
  request: Pick<Request, "headers" | "url">,
  settings: AppOriginSettings,
): Set<string> {
  return new Set([
    ownOrigin(request, settings),
    ...settings.APP_ALLOWED_ORIGINS.map((o) => new URL(o).origin),
  ]);
}

/** The app is served over https for this request (its cookies then carry `Secure`). */
export function servedOverHttps(
  request: Pick<Request, "headers" | "url">,
  settings: AppOriginSettings,
): boolean {
  return new URL(ownOrigin(request, settings)).protocol === "https:";
}
