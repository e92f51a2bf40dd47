// `POST /{tenant}/oauth2/v2.0/token`: the user grants (authorization_code, refresh_token; see
// ./token-grants.ts) and the client-credentials grant service principals use for ACS tokens
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import type { Logger } from "../modules";
import { isAcsResource, stripDefault } from "./acs-resource";
import type { SignInGrants } from "./authorization-codes";
import { authenticateClient, basicCredentials } from "./client-auth";
import type { EntraServicePrincipal } from "./config";
import { servicePrincipalOf } from "./config";
import { EntraGrantError, grantErrorResponse, methodNotAllowed, oauthError } from "./grant-errors";
import { authorizationCodeGrant, refreshTokenGrant } from "./token-grants";
import { ACS_AUDIENCE, type EntraTokenService } from "./tokens";

export interface TokenEndpointDeps {
  readonly servicePrincipals: readonly EntraServicePrincipal[];
  readonly tokens: EntraTokenService;
  readonly grants: SignInGrants;
  readonly lifetimeSeconds: number;
  readonly now: () => Date;
  readonly log: Logger;
}

export interface TokenEndpoint {
  /** A token request to `tenant`, whose tokens carry `issuer` (`https://host/{tenant}/v2.0`). */
  handle(request: EmulatorRequest, tenant: string, issuer: string): Promise<EmulatorResponse>;
}

export function createTokenEndpoint(deps: TokenEndpointDeps): TokenEndpoint {
  const { servicePrincipals, tokens, grants, lifetimeSeconds } = deps;

  async function userToken(
    request: EmulatorRequest,
    form: URLSearchParams,
    tenant: string,
    issuer: string,
    grantType: "authorization_code" | "refresh_token",
  ): Promise<EmulatorResponse> {
    try {
      const client = authenticateClient(
        form,
        request.headers.authorization,
        tenant,
        servicePrincipals,
      );
      const grantDeps = { tokens, grants, lifetimeSeconds };
      const json =
        grantType === "authorization_code"
          ? await authorizationCodeGrant(grantDeps, form, client, issuer)
          : await refreshTokenGrant(grantDeps, form, client, issuer);
      deps.log.info(`entra: issued user tokens (${grantType})`, {
        tenant,
        clientId: client.clientId,
      });
      return { status: 200, headers: { "cache-control": "no-store", pragma: "no-cache" }, json };
    } catch (error) {
      if (error instanceof EntraGrantError) {
        deps.log.debug("entra: token request refused", { tenant, error: error.message });
        return grantErrorResponse(error);
      }
      throw error;
    }
  }

  async function clientCredentialsToken(
    request: EmulatorRequest,
    form: URLSearchParams,
    tenant: string,
    issuer: string,
  ): Promise<EmulatorResponse> {
    const basic = basicCredentials(request.headers.authorization);
    const clientId = form.get("client_id") ?? basic?.clientId;
    const clientSecret = form.get("client_secret") ?? basic?.clientSecret;
    if (form.get("grant_type") !== "client_credentials") {
      return oauthError(
        400,
        "unsupported_grant_type",
        70003,
        "The local Entra ID supports the grant types authorization_code, refresh_token and client_credentials.",
      );
    }
    if (!clientId)
      return oauthError(400, "invalid_request", 900144, "The request body must contain client_id.");
    const principal = servicePrincipals.find(
      (sp) => sp.tenantId === tenant && sp.clientId === clientId,
    );
    if (!principal) {
      return oauthError(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
      );
    }
    if (!clientSecret) {
      return oauthError(
        401,
        "invalid_client",
        7000218,
        "The request body must contain client_secret or client_assertion.",
      );
    }
    if (clientSecret !== principal.clientSecret) {
      deps.log.debug("entra: wrong client secret", { tenant, clientId });
      return oauthError(
        401,
        "invalid_client",
        7000215,
        `Invalid client secret provided for app '${clientId}'.`,
      );
    }
    const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
    const resources = scopes.filter(
      (s) => s !== "offline_access" && s !== "openid" && s !== "profile",
    );
    if (resources.length !== 1 || !isAcsResource(stripDefault(resources[0] ?? ""))) {
      return oauthError(
        400,
        "invalid_scope",
        70011,
        `The scope '${form.get("scope") ?? ""}' is not valid: the local Entra ID issues tokens for ${ACS_AUDIENCE}/.default only.`,
      );
    }
    const { token, expiresOn } = await tokens.issue(servicePrincipalOf(principal), issuer);
    deps.log.info("entra: issued client-credentials token", { tenant, clientId });
    const expiresIn = expiresOn - Math.floor(deps.now().getTime() / 1000);
    return {
      status: 200,
      headers: { "cache-control": "no-store" },
      json: {
        token_type: "Bearer",
        expires_in: expiresIn,
        ext_expires_in: expiresIn,
        access_token: token,
      },
    };
  }

  return {
    async handle(request, tenant, issuer) {
      if (request.method !== "POST") return methodNotAllowed();
      const form = new URLSearchParams(request.body.toString("utf8"));
      const grantType = form.get("grant_type");
      if (grantType === "authorization_code" || grantType === "refresh_token") {
        return userToken(request, form, tenant, issuer, grantType);
      }
      return clientCredentialsToken(request, form, tenant, issuer);
    },
  };
}
