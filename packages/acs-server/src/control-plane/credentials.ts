// @azure/identity credentials for the entra-id and managed-identity models, wrapped so that their
// failures reach the tRPC boundary already classified (a wrong secret is "credentials-rejected",
// an authority that cannot be reached is "unreachable"), like every other gateway failure.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { TokenCredentialOptions } from "@azure/identity";
import { ClientSecretCredential, ManagedIdentityCredential } from "@azure/identity";

import { AcsGatewayError } from "./identity-gateway";
import type { EntraIdConfig } from "./models/entra-id";
import type { ManagedIdentityConfig } from "./models/managed-identity";

export function createEntraCredential(
  config: EntraIdConfig,
  options: TokenCredentialOptions = {},
): TokenCredential {
  // tlsOptions & co. reach MSAL: @azure/identity hands MSAL its own IdentityClient (a core-client
  // pipeline built from these options) as `system.networkClient`.
  const credential = new ClientSecretCredential(
    config.tenantId,
    config.clientId,
    config.clientSecret,
    {
      ...options,
      ...(config.authorityHost ? { authorityHost: config.authorityHost } : {}),
      disableInstanceDiscovery: config.disableInstanceDiscovery,
    },
  );
  return classifying(
    credential,
    `Microsoft Entra ID (tenant ${config.tenantId}, client ${config.clientId})`,
  );
}

export function createManagedIdentityCredential(
  config: ManagedIdentityConfig,
  options: TokenCredentialOptions = {},
): TokenCredential {
  // IDENTITY_ENDPOINT / IDENTITY_HEADER are read by MSAL from process.env, as on App Service.
  const credential = config.clientId
    ? new ManagedIdentityCredential({ ...options, clientId: config.clientId })
    : new ManagedIdentityCredential(options);
  const who = config.clientId
    ? `user-assigned managed identity ${config.clientId}`
    : "system-assigned managed identity";
  return classifying(credential, who);
}

function classifying(credential: TokenCredential, who: string): TokenCredential {
  return {
    async getToken(
      scopes: string | string[],
      options?: GetTokenOptions,
    ): Promise<AccessToken | null> {
      try {
        return await credential.getToken(scopes, options);
      } catch (error) {
        throw classifyCredentialError(error, who);
      }
    },
  };
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
]);

/** Network trouble → "unreachable"; anything the authority answered (bad secret, no identity) → "credentials-rejected". */
export function classifyCredentialError(error: unknown, who: string): AcsGatewayError {
  const message = error instanceof Error ? error.message : String(error);
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code ??
    (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  // Aborted: the control-plane call's deadline (ACS_CALL_TIMEOUT_MS) passed while the authority was asked.
  const aborted =
    error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
  const unreachable =
    aborted ||
    (typeof code === "string" && NETWORK_CODES.has(code)) ||
    /Network unreachable|endpoints_resolution_error|ECONNREFUSED|ENOTFOUND|network_error/i.test(
      message,
    );
  const firstLine = message.split("\n")[0] ?? message;
  return unreachable
    ? new AcsGatewayError(
        "unreachable",
        `${who} could not be reached to get an ACS token: ${firstLine}`,
        undefined,
        { cause: error },
      )
    : new AcsGatewayError(
        "credentials-rejected",
        `${who} refused to issue an ACS token: ${firstLine}`,
        undefined,
        { cause: error },
      );
}
