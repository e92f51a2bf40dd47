// A minimal local Microsoft Entra ID, enough for @azure/identity (MSAL Node) to get ACS tokens offline:
// OpenID discovery, JWKS, the client-credentials token endpoint, App Service's managed-identity
// endpoint (`/msi/token`, also Container Apps) and the IMDS one (`/metadata/identity/oauth2/token`,
// VMs/AKS; MSAL is pointed at it by AZURE_POD_IDENTITY_AUTHORITY_HOST). The Identity API calls verifyAccessToken() for `Authorization: Bearer` requests.
import type { EntraApi, Logger, VerifiedPrincipal } from "../modules";
import type { EmulatorRequest, EmulatorResponse, RouteHandler } from "../http/types";
import { AcsHttpError } from "../http/types";
import { createAuthorizeEndpoint } from "./authorize";
import { createSignInGrants } from "./authorization-codes";
import { authenticateClient, basicCredentials } from "./client-auth";
import type { EntraOptions, KnownPrincipal } from "./config";
import { ENTRA_DEFAULTS, managedIdentityOf, servicePrincipalOf } from "./config";
import { EntraGrantError, grantErrorResponse, oauthError } from "./grant-errors";
import { inMemoryEntraSigningKey, type EntraSigningKeySource } from "./signing-key";
import { authorizationCodeGrant, refreshTokenGrant } from "./token-grants";
import { ACS_AUDIENCE, createEntraTokenService } from "./tokens";
import { userInfo } from "./userinfo";
import { parseUserScopes } from "./user-scopes";
import { signUserAccessToken } from "./user-tokens";
import { createEntraUserDirectory } from "./users";

export type {
  EntraManagedIdentity,
  EntraOptions,
  EntraServicePrincipal,
  EntraUser,
} from "./config";
export { ENTRA_DEFAULTS } from "./config";
export {
  ENTRA_CLI_FLAGS,
  ENTRA_CLI_USAGE,
  EntraCliOptionError,
  entraAuthority,
  parseEntraCliOptions,
} from "./cli-options";
export { ENTRA_SIGNING_KEY_FILE, persistentEntraSigningKey } from "./signing-key";
export { ACS_AUDIENCE } from "./tokens";
export { TEAMS_AUDIENCE } from "./user-scopes";

export interface EntraDeps {
  readonly now: () => Date;
  readonly log: Logger;
  readonly resourceId: string;
  /** Principals and managed identities, from `EmulatorOptions.entra`. */
  readonly options?: EntraOptions;
  /** The token-signing key: kept in the data dir (persistentEntraSigningKey) or, by default, in memory. */
  readonly signingKey?: EntraSigningKeySource;
}

const TENANT_ROUTE =
  /^\/([A-Za-z0-9.-]+)\/(v2\.0\/\.well-known\/openid-configuration|\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token|oauth2\/v2\.0\/authorize)$/;

export function createEntraApi(deps: EntraDeps): EntraApi {
  const options = deps.options ?? {};
  const identityHeader = options.identityHeader ?? ENTRA_DEFAULTS.identityHeader;
  const miTenant = options.managedIdentityTenantId ?? ENTRA_DEFAULTS.managedIdentityTenantId;
  const servicePrincipals = options.principals ?? [];
  const managedIdentities = (options.managedIdentities ?? []).map((mi) => ({
    config: mi,
    principal: managedIdentityOf(mi, miTenant),
  }));
  const byObjectId = new Map<string, KnownPrincipal>();
  for (const sp of servicePrincipals) {
    const principal = servicePrincipalOf(sp);
    byObjectId.set(principal.objectId, principal);
  }
  for (const { principal } of managedIdentities) byObjectId.set(principal.objectId, principal);
  // Users live in the principals' tenant (the CLI puts every principal in one).
  const usersTenant = servicePrincipals[0]?.tenantId ?? ENTRA_DEFAULTS.tenantId;
  const tenants = new Set([...servicePrincipals.map((sp) => sp.tenantId), miTenant, usersTenant]);
  const lifetimeSeconds = options.tokenLifetimeSeconds ?? ENTRA_DEFAULTS.tokenLifetimeSeconds;
  const tokens = createEntraTokenService(
    deps.now,
    lifetimeSeconds,
    deps.signingKey ?? inMemoryEntraSigningKey(),
  );
  const users = createEntraUserDirectory(options.users ?? [], usersTenant);
  const grants = createSignInGrants(deps.now);
  const authorize = createAuthorizeEndpoint({
    principals: servicePrincipals,
    users,
    grants,
    redirectUris: options.redirectUris ?? [],
    now: deps.now,
    log: deps.log,
  });

  const handle: RouteHandler = async (request) => {
    const path = request.url.pathname;
    if (path === "/msi/token") return managedIdentityToken(request, "app-service");
    // MSAL appends a slash to the IMDS URL built from AZURE_POD_IDENTITY_AUTHORITY_HOST.
    if (path === "/metadata/identity/oauth2/token" || path === "/metadata/identity/oauth2/token/") {
      return managedIdentityToken(request, "imds");
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
    if (request.method !== "POST") return methodNotAllowed();
    const form = new URLSearchParams(request.body.toString("utf8"));
    const grantType = form.get("grant_type");
    if (grantType === "authorization_code" || grantType === "refresh_token") {
      return userToken(request, form, tenant, `${base}/v2.0`, grantType);
    }
    return clientCredentialsToken(request, tenant, `${base}/v2.0`);
  };

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
    tenant: string,
    issuer: string,
  ): Promise<EmulatorResponse> {
    const form = new URLSearchParams(request.body.toString("utf8"));
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

  async function managedIdentityToken(
    request: EmulatorRequest,
    protocol: "app-service" | "imds",
  ): Promise<EmulatorResponse> {
    if (request.method !== "GET") return methodNotAllowed();
    const query = request.url.searchParams;
    if (protocol === "app-service") {
      if (request.headers["x-identity-header"] !== identityHeader) {
        return appServiceError(
          401,
          "The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.",
        );
      }
      if (query.get("api-version") !== "2019-08-01") {
        return appServiceError(
          400,
          "api-version must be 2019-08-01 (the App Service managed identity protocol).",
        );
      }
    } else {
      // IMDS answers only requests with `Metadata: true` (an SSRF guard).
      if (request.headers.metadata?.toLowerCase() !== "true") {
        return appServiceError(400, "Required metadata header not specified");
      }
      if (query.get("api-version") !== "2018-02-01") {
        return appServiceError(
          400,
          "api-version must be 2018-02-01 (the IMDS managed identity protocol).",
        );
      }
    }
    const resource = query.get("resource") ?? "";
    if (!isAcsResource(resource)) {
      return appServiceError(
        400,
        `The local managed identity endpoint issues tokens for ${ACS_AUDIENCE} only, not '${resource}'.`,
      );
    }
    const clientId = query.get("client_id") ?? undefined;
    const objectId = query.get("object_id") ?? query.get("principal_id") ?? undefined;
    if (query.has("msi_res_id") || query.has("mi_res_id")) {
      return appServiceError(
        400,
        "Selecting a managed identity by resource id is not supported by the emulator; use client_id.",
      );
    }
    const found = managedIdentities.find(({ config, principal }) =>
      clientId !== undefined
        ? config.clientId === clientId
        : objectId !== undefined
          ? principal.objectId === objectId
          : config.clientId === undefined,
    );
    if (!found) {
      const which = clientId ?? objectId ?? "system-assigned";
      return appServiceError(
        400,
        `Unable to load the proper Managed Identity: '${which}' is not assigned to this app.`,
      );
    }
    const base = `${request.scheme}://${request.headers.host ?? request.url.host}/${miTenant}`;
    const { token, expiresOn } = await tokens.issue(found.principal, `${base}/v2.0`);
    deps.log.info("entra: issued managed-identity token", { clientId: found.principal.appId });
    return {
      status: 200,
      json: {
        access_token: token,
        ...(protocol === "imds"
          ? { expires_in: String(expiresOn - Math.floor(deps.now().getTime() / 1000)) }
          : {}),
        expires_on: String(expiresOn),
        resource,
        token_type: "Bearer",
        client_id: found.principal.appId,
      },
    };
  }

  return {
    handle,
    async issueUserAccessToken(request, origin) {
      const user = users.find(request.userPrincipalName);
      if (!user) throw new Error(`No local Entra ID user '${request.userPrincipalName}'.`);
      const client = servicePrincipals.find((sp) => sp.clientId === request.clientId);
      if (!client) throw new Error(`No local Entra ID client '${request.clientId}'.`);
      const signed = await signUserAccessToken(tokens, {
        user,
        clientId: client.clientId,
        scopes: parseUserScopes(request.scopes.join(" ")),
        issuer: `${origin.replace(/\/+$/, "")}/${user.tenantId}/v2.0`,
        lifetimeSeconds: request.lifetimeSeconds ?? lifetimeSeconds,
      });
      return signed.token;
    },

    async verifyUserToken(token, audience) {
      const claims = await tokens.verifyFor(token, audience);
      // Only tokens of this authority's tenants, issued to a user of them.
      const tid = typeof claims.tid === "string" ? claims.tid : "";
      if (!tenants.has(tid) || !String(claims.iss).endsWith(`/${tid}/v2.0`)) {
        throw new Error("The token was not issued by a tenant of the local Entra ID.");
      }
      return claims;
    },

    async verifyAccessToken(bearerToken): Promise<VerifiedPrincipal> {
      const token = bearerToken.replace(/^Bearer\s+/i, "").trim();
      const claims = await tokens.verify(token);
      const principal = byObjectId.get(claims.oid);
      if (!principal?.grantedAcsAccess) {
        throw new AcsHttpError(
          403,
          "AuthorizationFailed",
          `The principal '${claims.oid}' has no role assignment on this Communication Services resource (${deps.resourceId}).`,
        );
      }
      return { objectId: principal.objectId, appId: principal.appId };
    },
  };
}

function openIdConfiguration(base: string) {
  return {
    issuer: `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    // Entra names Graph's (https://graph.microsoft.com/oidc/userinfo); this one is local.
    userinfo_endpoint: `${new URL(base).origin}/oidc/userinfo`,
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "nbf",
      "nonce",
      "oid",
      "tid",
      "name",
      "preferred_username",
      "email",
      "ver",
    ],
    request_uri_parameter_supported: false,
    tenant_region_scope: null,
    cloud_instance_name: "acs-emulator.local",
    cloud_graph_host_name: "graph.acs-emulator.local",
    msgraph_host: "graph.acs-emulator.local",
  };
}

function stripDefault(scope: string): string {
  return scope.endsWith("/.default") ? scope.slice(0, -"/.default".length) : scope;
}

function isAcsResource(resource: string): boolean {
  return resource.replace(/\/+$/, "") === ACS_AUDIENCE;
}

function appServiceError(status: number, message: string): EmulatorResponse {
  return { status, json: { statusCode: status, message, correlationId: crypto.randomUUID() } };
}

function methodNotAllowed(): EmulatorResponse {
  return {
    status: 405,
    json: { error: "invalid_request", error_description: "Method not allowed." },
  };
}
