// The Entra sign-in's account id is the person's object id (`oid`), not the per-app `sub`; and the
// provider never calls Microsoft Graph (next-auth's default profile() fetches a photo with the token).
import { describe, expect, it } from "vitest";
import { entraProvider, profileFromIdToken } from "./provider";

const SETTINGS = {
  clientId: "4f7d2a91-6c3e-4b8a-9d15-0123456789ab",
  clientSecret: "secret",
  issuer: "https://127.0.0.1:10443/00000000-0000-0000-0000-00000000e417/v2.0",
  teams: true,
  scope: "openid profile email offline_access",
  caFile: undefined,
};

describe("profileFromIdToken", () => {
  it("keys the account by oid and names the person", () => {
    expect(
      profileFromIdToken({
        oid: "9b0e5c1a-0000-4000-8000-00000000000a",
        sub: "per-app-pairwise-subject",
        name: "Ada Lovelace",
        preferred_username: "ada@contoso.test",
        email: "ada@contoso.test",
      }),
    ).toEqual({
      id: "9b0e5c1a-0000-4000-8000-00000000000a",
      name: "Ada Lovelace",
      email: "ada@contoso.test",
      image: null,
    });
    expect(profileFromIdToken({ oid: "o", preferred_username: "ada@contoso.test" })).toMatchObject({
      name: "ada@contoso.test",
      email: null,
    });
  });

  it("refuses an id_token without oid rather than key the account by something else", () => {
    expect(() => profileFromIdToken({ sub: "s", name: "No Oid" })).toThrow(/no oid claim/);
  });
});

describe("entraProvider", () => {
  it("asks for the configured scopes and uses the app's profile()", () => {
    const provider = entraProvider(SETTINGS);
    expect(provider.id).toBe("microsoft-entra-id");
    expect(provider.name).toBe("Microsoft Entra ID");
    const options = provider.options as { authorization?: { params?: { scope?: string } } };
    expect(options.authorization?.params?.scope).toBe(SETTINGS.scope);
    expect(provider.options?.profile).toBe(profileFromIdToken);
    expect(provider.options?.issuer).toBe(SETTINGS.issuer);
  });
});
