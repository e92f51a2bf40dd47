// The managed-identity token endpoints MSAL Node calls: App Service's `GET /msi/token` (also
// Container Apps; api-version 2019-08-01, X-IDENTITY-HEADER) and IMDS's
// `GET /metadata/identity/oauth2/token` (VMs/AKS; api-version 2018-02-01, `Metadata: true`).
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import type { Logger } from "../modules";
import { isAcsResource } from "./acs-resource";
import { methodNotAllowed } from "./grant-errors";
import type { ManagedIdentityEntry } from "./principals";
import { ACS_AUDIENCE, type EntraTokenService } from "./tokens";

export type ManagedIdentityProtocol = "app-service" | "imds";

export interface ManagedIdentityEndpointDeps {
  readonly managedIdentities: readonly ManagedIdentityEntry[];
  /** The secret App Service puts in IDENTITY_HEADER. */
  readonly identityHeader: string;
  /** Tenant of the managed identities' tokens. */
  readonly tenant: string;
  readonly tokens: EntraTokenService;
  readonly now: () => Date;
  readonly log: Logger;
}

export interface ManagedIdentityEndpoint {
  handle(request: EmulatorRequest, protocol: ManagedIdentityProtocol): Promise<EmulatorResponse>;
}

/** The error body of App Service's managed-identity endpoint (IMDS refusals reuse it here). */
function appServiceError(status: number, message: string): EmulatorResponse {
  return { status, json: { statusCode: status, message, correlationId: crypto.randomUUID() } };
}

export function createManagedIdentityEndpoint(
  deps: ManagedIdentityEndpointDeps,
): ManagedIdentityEndpoint {
  const { managedIdentities, identityHeader, tokens } = deps;

  async function handle(
    request: EmulatorRequest,
    protocol: ManagedIdentityProtocol,
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
    const base = `${request.scheme}://${request.headers.host ?? request.url.host}/${deps.tenant}`;
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

  return { handle };
}
