// Who may get tokens from the local Entra ID, and which of them ACS lets in (the emulator's stand-in
// for role assignments on a Communication Services resource).
import { createHash } from "node:crypto";

export interface EntraServicePrincipal {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Object id of the service principal; derived from the client id when omitted. */
  readonly objectId?: string;
  /** Like a role assignment on the ACS resource: false → the Identity API answers 403. */
  readonly grantedAcsAccess: boolean;
}

export interface EntraManagedIdentity {
  /** User-assigned identity's client id; omit for the system-assigned identity. */
  readonly clientId?: string;
  readonly objectId?: string;
  readonly grantedAcsAccess: boolean;
}

export interface EntraOptions {
  readonly principals?: readonly EntraServicePrincipal[];
  readonly managedIdentities?: readonly EntraManagedIdentity[];
  /** The secret App Service puts in IDENTITY_HEADER; `/msi/token` requires it as X-IDENTITY-HEADER. */
  readonly identityHeader?: string;
  /** Tenant of the managed identities' tokens. */
  readonly managedIdentityTenantId?: string;
  /** Access token lifetime; Entra issues 60-90 minute tokens. */
  readonly tokenLifetimeSeconds?: number;
  /** People who sign in with the authorization-code flow, in the principals' tenant. */
  readonly users?: readonly EntraUser[];
  /** Redirect URIs the clients may use besides any `http://localhost:*` and `http://127.0.0.1:*` URI. */
  readonly redirectUris?: readonly string[];
}

/** A local test user (a member of the principals' tenant). */
export interface EntraUser {
  readonly userPrincipalName: string;
  readonly password: string;
  readonly displayName?: string;
  /** Put into the id_token's `email` claim when given. */
  readonly email?: string;
  /** Object id (`oid`); derived from tenant + UPN when omitted, so it is stable across restarts. */
  readonly objectId?: string;
}

/** The local Entra ID's tenant when none is named (CLI principals without `--entra-tenant`, managed identities). */
const DEFAULT_TENANT_ID = "00000000-0000-0000-0000-00000000e417";

export const ENTRA_DEFAULTS = {
  tenantId: DEFAULT_TENANT_ID,
  identityHeader: "acs-emulator-identity-header",
  managedIdentityTenantId: DEFAULT_TENANT_ID,
  tokenLifetimeSeconds: 3600,
} as const;

/** A principal as the token service sees it: what goes into `oid`/`appid`/`tid`. */
export interface KnownPrincipal {
  readonly kind: "service-principal" | "managed-identity";
  readonly objectId: string;
  readonly appId: string;
  readonly tenantId: string;
  readonly grantedAcsAccess: boolean;
}

/** Stable GUID-shaped id from a seed, so a principal keeps its object id across restarts. */
export function derivedGuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function servicePrincipalOf(principal: EntraServicePrincipal): KnownPrincipal {
  return {
    kind: "service-principal",
    objectId: principal.objectId ?? derivedGuid(`sp:${principal.tenantId}:${principal.clientId}`),
    appId: principal.clientId,
    tenantId: principal.tenantId,
    grantedAcsAccess: principal.grantedAcsAccess,
  };
}

export function managedIdentityOf(
  identity: EntraManagedIdentity,
  tenantId: string,
): KnownPrincipal {
  const clientId = identity.clientId ?? derivedGuid("mi:system-assigned:client");
  return {
    kind: "managed-identity",
    objectId: identity.objectId ?? derivedGuid(`mi:${identity.clientId ?? "system-assigned"}`),
    appId: clientId,
    tenantId,
    grantedAcsAccess: identity.grantedAcsAccess,
  };
}
