// The principals the local Entra ID resolves from its options, and the ACS resource check its
// token endpoints share.
import { describe, expect, it } from "vitest";
import { isAcsResource, stripDefault } from "../../src/entra/acs-resource";
import { ENTRA_DEFAULTS } from "../../src/entra/config";
import { resolveEntraPrincipals } from "../../src/entra/principals";

describe("resolveEntraPrincipals", () => {
  it("serves the principals' tenants and the managed identities' one, and finds both by object id", () => {
    const resolved = resolveEntraPrincipals({
      principals: [
        { tenantId: "tenant-a", clientId: "app-a", clientSecret: "s", grantedAcsAccess: true },
        { tenantId: "tenant-b", clientId: "app-b", clientSecret: "s", grantedAcsAccess: false },
      ],
      managedIdentities: [{ clientId: "mi-1", objectId: "mi-object", grantedAcsAccess: true }],
      managedIdentityTenantId: "tenant-mi",
    });
    expect([...resolved.tenants].sort()).toEqual(["tenant-a", "tenant-b", "tenant-mi"]);
    expect(resolved.usersTenant).toBe("tenant-a");
    expect(resolved.byObjectId.get("mi-object")).toMatchObject({
      kind: "managed-identity",
      appId: "mi-1",
      tenantId: "tenant-mi",
    });
    const appB = [...resolved.byObjectId.values()].find((p) => p.appId === "app-b");
    expect(appB).toMatchObject({ kind: "service-principal", grantedAcsAccess: false });
  });

  it("falls back to the default tenant for users and managed identities", () => {
    const resolved = resolveEntraPrincipals({});
    expect(resolved.usersTenant).toBe(ENTRA_DEFAULTS.tenantId);
    expect(resolved.managedIdentityTenant).toBe(ENTRA_DEFAULTS.managedIdentityTenantId);
    expect([...resolved.tenants]).toEqual([ENTRA_DEFAULTS.tenantId]);
    expect(resolved.byObjectId.size).toBe(0);
  });
});

describe("isAcsResource", () => {
  it("accepts ACS's audience with trailing slashes and its .default scope, nothing else", () => {
    expect(isAcsResource("https://communication.azure.com")).toBe(true);
    expect(isAcsResource(stripDefault("https://communication.azure.com//.default"))).toBe(true);
    expect(isAcsResource(stripDefault("https://graph.microsoft.com/.default"))).toBe(false);
    expect(isAcsResource("https://communication.azure.com.evil.example")).toBe(false);
  });
});
