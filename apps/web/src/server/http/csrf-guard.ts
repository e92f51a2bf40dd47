// Cross-site request defence for /api/trpc (OWASP ASVS 4.0.3 V13.2.3 / V4.2.2): a browser request
// from any other origin is refused before it can act with the person's cookie. SameSite=Lax alone
// lets a sibling subdomain or another localhost port through (same *site*, different *origin*).

/** Sec-Fetch-Site values of a request the app itself (or the person typing a URL) made. */
const FIRST_PARTY_FETCH_SITES = new Set(["same-origin", "none"]);

/** tRPC's own client sends JSON; multipart/form-data, urlencoded and text/plain are what forms can send. */
const JSON_MEDIA_TYPE = "application/json";

function problem(status: 403 | 415, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

/**
 * The refusal for a request that did not come from one of `appOrigins`, or undefined to let it
 * through. Requests without Origin and Sec-Fetch-Site (curl, server-to-server) carry no ambient
 * browser credentials worth stealing and pass; any browser request that states a foreign origin does not.
 */
export function crossSiteRejection(
  request: Request,
  appOrigins: ReadonlySet<string>,
): Response | undefined {
  const origin = request.headers.get("origin");
  // "null" (sandboxed iframes, file:, some redirects) is never one of ours.
  if (origin !== null && !appOrigins.has(origin)) {
    return problem(403, "FORBIDDEN", "Cross-origin requests to this API are not allowed.");
  }
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite !== null && !FIRST_PARTY_FETCH_SITES.has(fetchSite)) {
    return problem(
      403,
      "FORBIDDEN",
      `Requests from other sites (${fetchSite}) to this API are not allowed.`,
    );
  }
  return undefined;
}

/**
 * Mutations (POST) must be JSON: a cross-site HTML form can only send form encodings or text/plain
 * without a CORS preflight, so this also stops forms from browsers that send no Origin.
 */
export function nonJsonBodyRejection(request: Request): Response | undefined {
  if (request.method === "GET" || request.method === "HEAD") return undefined;
  const mediaType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType === JSON_MEDIA_TYPE) return undefined;
  return problem(
    415,
    "UNSUPPORTED_MEDIA_TYPE",
    `This API accepts ${JSON_MEDIA_TYPE} request bodies only.`,
  );
}
