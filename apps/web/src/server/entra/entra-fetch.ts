// The fetch next-auth (oauth4webapi) and the token refresh use to reach Entra ID: discovery, the token
// endpoint. With AUTH_MICROSOFT_ENTRA_ID_CA_FILE it also trusts that CA (the local emulator's), for
// these requests only: the process's other HTTPS keeps the system's trust store alone.
import { request } from "node:https";
import { rootCertificates } from "node:tls";
import { extraCaPem, type EntraSettings } from "./settings";

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Discovery documents and token responses are a few KiB; anything far larger is not Entra. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
const TIMEOUT_MS = 15_000;

function bodyText(body: RequestInit["body"]): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError("Entra requests send form or text bodies only.");
}

/** A minimal fetch over node:https with an explicit CA list (what oauth4webapi sends: GET and form POST). */
function httpsFetch(ca: string[]): FetchLike {
  return (input, init) => {
    if (input instanceof Request)
      return Promise.reject(new TypeError("Pass a URL, not a Request."));
    const url = new URL(input);
    if (url.protocol !== "https:") return fetch(url, init);
    const body = bodyText(init?.body);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
    return new Promise<Response>((resolvePromise, reject) => {
      const outgoing = request(
        url,
        {
          method: init?.method ?? "GET",
          headers,
          ca,
          timeout: TIMEOUT_MS,
          signal: init?.signal ?? undefined,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          let size = 0;
          incoming.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) outgoing.destroy(new Error("Entra answered too much."));
            else chunks.push(chunk);
          });
          incoming.on("error", reject);
          incoming.on("end", () => {
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(incoming.headers)) {
              for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value])
                responseHeaders.append(name, one);
            }
            const status = incoming.statusCode ?? 502;
            const empty = status === 204 || status === 304;
            resolvePromise(
              new Response(empty ? null : Buffer.concat(chunks), {
                status,
                statusText: incoming.statusMessage ?? "",
                headers: responseHeaders,
              }),
            );
          });
        },
      );
      outgoing.on("timeout", () => outgoing.destroy(new Error("Entra did not answer in time.")));
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  };
}

const TENANT_IN_ISSUER = /microsoftonline\.com\/(\w+)\/v2\.0/;

/**
 * The provider's fetch. Keeps what next-auth's own Entra provider does with discovery (the
 * multi-tenant documents name the issuer `…/{tenantid}/v2.0`; it is put back to the configured tenant,
 * node_modules/@auth/core/providers/microsoft-entra-id.js) and adds the configured CA.
 */
export function entraFetch(settings: Pick<EntraSettings, "caFile" | "issuer">): FetchLike {
  // Read on the first Entra request, not when next-auth's config is built: an unreadable CA file
  // then fails the Entra sign-in (with its message in the log), not every sign-in of the app.
  const base: FetchLike = (input, init) => {
    const pem = extraCaPem(settings);
    return pem ? httpsFetch([...rootCertificates, pem])(input, init) : fetch(input, init);
  };
  return async (input, init) => {
    const response = await base(input, init);
    const url = new URL(input instanceof Request ? input.url : input);
    if (!url.pathname.endsWith("/.well-known/openid-configuration") || !response.ok)
      return response;
    const document = (await response.clone().json()) as { issuer?: unknown };
    if (typeof document.issuer !== "string" || !document.issuer.includes("{tenantid}"))
      return response;
    const tenantId = settings.issuer?.match(TENANT_IN_ISSUER)?.[1] ?? "common";
    return Response.json({ ...document, issuer: document.issuer.replace("{tenantid}", tenantId) });
  };
}
