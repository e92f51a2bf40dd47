// Which endpoint of the local Entra ID a request is for: the managed-identity endpoints and UserInfo
// at fixed paths, and per tenant the discovery document, JWKS, authorize and token endpoints.
import type { RouteHandler } from "../http/types";
import type { AuthorizeEndpoint } from "./authorize";
import { openIdConfiguration } from "./discovery";
import { methodNotAllowed, oauthError } from "./grant-errors";
import type { ManagedIdentityEndpoint } from "./managed-identity";
import type { TokenEndpoint } from "./token-endpoint";
import type { EntraTokenService } from "./tokens";
import { userInfo } from "./userinfo";

const TENANT_ROUTE =
  /^\/([A-Za-z0-9.-]+)\/(v2\.0\/\.well-known\/openid-configuration|\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token|oauth2\/v2\.0\/authorize)$/;

export interface EntraRouteDeps {
  /** Every tenant the authority answers for. */
  readonly tenants: ReadonlySet<string>;
  readonly tokens: EntraTokenService;
  readonly authorize: AuthorizeEndpoint;
  readonly tokenEndpoint: TokenEndpoint;
  readonly managedIdentity: ManagedIdentityEndpoint;
}

export function createEntraRoutes(deps: EntraRouteDeps): RouteHandler {
  const { tenants, tokens, authorize, tokenEndpoint, managedIdentity } = deps;
  return async (request) => {
    const path = request.url.pathname;
    if (path === "/msi/token") return managedIdentity.handle(request, "app-service");
    // MSAL appends a slash to the IMDS URL built from AZURE_POD_IDENTITY_AUTHORITY_HOST.
    if (path === "/metadata/identity/oauth2/token" || path === "/metadata/identity/oauth2/token/") {
      return managedIdentity.handle(request, "imds");
    }
    if (path === "/oidc/userinfo") return userInfo(request, tokens);
    const match = TENANT_ROUTE.exec(path);
    if (!match) return undefined;
    const tenant = match[1] ?? "";
    const route = match[2] ?? "";
    if (!tenants.has(tenant)) {
      return oauthError(
        400,
        "invalid_request",
        90002,
        `Tenant '${tenant}' not found. The local Entra ID knows the tenants of its configured principals.`,
      );
    }
    const base = `${request.scheme}://${request.headers.host ?? request.url.host}/${tenant}`;
    if (route.endsWith("openid-configuration")) {
      if (request.method !== "GET") return methodNotAllowed();
      return { status: 200, json: openIdConfiguration(base) };
    }
    if (route === "discovery/v2.0/keys") {
      if (request.method !== "GET") return methodNotAllowed();
      return { status: 200, json: await tokens.jwks() };
    }
    if (route.endsWith("authorize")) return authorize.handle(request, tenant);
    return tokenEndpoint.handle(request, tenant, `${base}/v2.0`);
  };
}
