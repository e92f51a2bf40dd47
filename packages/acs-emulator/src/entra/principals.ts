// Who the local Entra ID knows, resolved once from its options: service principals, managed
// identities, the principals by object id (for the Identity API's role check) and the tenants served.
import type {
  EntraManagedIdentity,
  EntraOptions,
  EntraServicePrincipal,
  KnownPrincipal,
} from "./config";
import { ENTRA_DEFAULTS, managedIdentityOf, servicePrincipalOf } from "./config";

export interface ManagedIdentityEntry {
  readonly config: EntraManagedIdentity;
  readonly principal: KnownPrincipal;
}

export interface EntraPrincipals {
  readonly servicePrincipals: readonly EntraServicePrincipal[];
  readonly managedIdentities: readonly ManagedIdentityEntry[];
  /** Tenant of the managed identities' tokens. */
  readonly managedIdentityTenant: string;
  /** Tenant of the users who sign in: the principals' one (the CLI puts every principal in one). */
  readonly usersTenant: string;
  readonly byObjectId: ReadonlyMap<string, KnownPrincipal>;
  /** Every tenant the authority answers for; others get AADSTS90002. */
  readonly tenants: ReadonlySet<string>;
}

export function resolveEntraPrincipals(options: EntraOptions): EntraPrincipals {
  const managedIdentityTenant =
    options.managedIdentityTenantId ?? ENTRA_DEFAULTS.managedIdentityTenantId;
  const servicePrincipals = options.principals ?? [];
  const managedIdentities = (options.managedIdentities ?? []).map((mi) => ({
    config: mi,
    principal: managedIdentityOf(mi, managedIdentityTenant),
  }));
  const byObjectId = new Map<string, KnownPrincipal>();
  for (const sp of servicePrincipals) {
    const principal = servicePrincipalOf(sp);
    byObjectId.set(principal.objectId, principal);
  }
  for (const { principal } of managedIdentities) byObjectId.set(principal.objectId, principal);
  const usersTenant = servicePrincipals[0]?.tenantId ?? ENTRA_DEFAULTS.tenantId;
  const tenants = new Set([
    ...servicePrincipals.map((sp) => sp.tenantId),
    managedIdentityTenant,
    usersTenant,
  ]);
  return {
    servicePrincipals,
    managedIdentities,
    managedIdentityTenant,
    usersTenant,
    byObjectId,
    tenants,
  };
}
