import "server-only";
// The HTTP doors of /api/trpc, in order: cross-site requests (403), non-JSON mutations (415), bodies
// over 1 MiB (413) — all before the session is read or the body parsed — then the API's security
// headers on every answer. Batch size and Retry-After are tRPC options (trpc-limits.ts).
import { env } from "~/env";
import { appOrigins, ownOrigin } from "./app-origins";
import { MAX_TRPC_BODY_BYTES, withBodyWithin } from "./body-limit";
import { crossSiteRejection, nonJsonBodyRejection } from "./csrf-guard";
import {
  API_CONTENT_SECURITY_POLICY,
  STRICT_TRANSPORT_SECURITY,
  sendsStrictTransportSecurity,
} from "./security-headers";

type Handler = (request: Request) => Promise<Response>;

async function admit(request: Request, handler: Handler): Promise<Response> {
  const refusal =
    crossSiteRejection(request, appOrigins(request, env)) ?? nonJsonBodyRejection(request);
  if (refusal) {
    await request.body?.cancel().catch(() => undefined);
    return refusal;
  }
  const admitted = await withBodyWithin(request, MAX_TRPC_BODY_BYTES);
  return admitted instanceof Response ? admitted : handler(admitted);
}

function withApiHeaders(response: Response, request: Request): Response {
  const headers = new Headers(response.headers);
  headers.set("content-security-policy", API_CONTENT_SECURITY_POLICY);
  if (sendsStrictTransportSecurity(env.NODE_ENV, ownOrigin(request, env))) {
    headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  }
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** Wraps the tRPC route handler with the checks above. */
export function withTrpcHttpDefences(handler: Handler): Handler {
  return async (request) => withApiHeaders(await admit(request, handler), request);
}
