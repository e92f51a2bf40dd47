// Who is calling the token endpoint: client_secret_post (form fields) or client_secret_basic
// (`Authorization: Basic`, id and secret form-urlencoded first, RFC 6749 §2.3.1, as next-auth sends).
import type { EntraServicePrincipal } from "./config";
import { EntraGrantError } from "./grant-errors";

export function basicCredentials(header: string | undefined) {
  const match = /^Basic\s+(.+)$/i.exec(header ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const formDecode = (value: string) => {
    try {
      return decodeURIComponent(value.replace(/\+/g, " "));
    } catch {
      return value;
    }
  };
  return {
    clientId: formDecode(decoded.slice(0, colon)),
    clientSecret: formDecode(decoded.slice(colon + 1)),
  };
}

/** The authenticated client (a principal of `tenant`); throws EntraGrantError as Entra answers. */
export function authenticateClient(
  form: URLSearchParams,
  authorization: string | undefined,
  tenant: string,
  principals: readonly EntraServicePrincipal[],
): EntraServicePrincipal {
  const basic = basicCredentials(authorization);
  const clientId = form.get("client_id") ?? basic?.clientId;
  const clientSecret = form.get("client_secret") ?? basic?.clientSecret;
  if (!clientId) {
    throw new EntraGrantError(
      "invalid_request",
      900144,
      "The request body must contain the following parameter: 'client_id'.",
    );
  }
  const principal = principals.find((sp) => sp.tenantId === tenant && sp.clientId === clientId);
  if (!principal) {
    throw new EntraGrantError(
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
    );
  }
  if (!clientSecret) {
    throw new EntraGrantError(
      "invalid_client",
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      401,
    );
  }
  if (clientSecret !== principal.clientSecret) {
    throw new EntraGrantError(
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      401,
    );
  }
  return principal;
}
