// Plain HTML form posts to route handlers (the start page's sign-in, sign-up and OAuth forms, which
// work without JavaScript): the same cross-site defence as /api/trpc and Next's server actions (a
// browser request that names another origin is refused before anything runs; see csrf-guard.ts), a
// form media type, a small body limit, then Post/Redirect/Get with 303 See Other.
import { withBodyWithin } from "./body-limit";
import { crossSiteRejection } from "./csrf-guard";

/** Email, password, display name and a callback path fit many times over. */
export const MAX_FORM_BODY_BYTES = 16 * 1024;

const FORM_MEDIA_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

function problem(status: 400 | 415, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

/**
 * The posted form, or the response refusing the request: 403 from another origin (`appOrigins`:
 * app-origins.ts), 415 for anything but a form encoding, 413 above MAX_FORM_BODY_BYTES, 400 when
 * the body is not the form it claims to be.
 */
export async function readSameOriginForm(
  request: Request,
  appOrigins: ReadonlySet<string>,
): Promise<FormData | Response> {
  const crossSite = crossSiteRejection(request, appOrigins);
  if (crossSite) return crossSite;
  const mediaType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!FORM_MEDIA_TYPES.has(mediaType)) {
    await request.body?.cancel().catch(() => undefined);
    return problem(415, "UNSUPPORTED_MEDIA_TYPE", "This address accepts HTML form posts only.");
  }
  const limited = await withBodyWithin(request, MAX_FORM_BODY_BYTES);
  if (limited instanceof Response) return limited;
  try {
    return await limited.formData();
  } catch {
    return problem(400, "BAD_REQUEST", "The form could not be read.");
  }
}

/** 303 See Other: the browser follows with a GET, so a reload never posts the form again. */
export function seeOther(location: string, setCookies: readonly string[] = []): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const value of setCookies) headers.append("set-cookie", value);
  return new Response(null, { status: 303, headers });
}
