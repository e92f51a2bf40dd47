// next-auth's Microsoft Entra ID provider as this app uses it: the person's account id is the
// id_token's `oid` (their object id in the tenant, the same for every app; `sub` differs per app), the
// scopes come from the settings (Teams scopes when enabled), and its requests go through entraFetch
// (the configured CA). next-auth's own profile() would send the access token to Microsoft Graph for a
// photo: not done here (a Teams access token is for ACS only, and the app shows no photos).
import { customFetch } from "next-auth";
import type { OIDCConfig } from "next-auth/providers";
import MicrosoftEntraID, {
  type MicrosoftEntraIDProfile,
} from "next-auth/providers/microsoft-entra-id";
import { entraFetch } from "./entra-fetch";
import type { EntraSettings } from "./settings";

/** The claims of the sign-in's id_token that name the person (oid and tid are always present). */
export function profileFromIdToken(claims: Partial<MicrosoftEntraIDProfile>) {
  if (typeof claims.oid !== "string" || claims.oid === "")
    throw new Error("The Entra ID token has no oid claim.");
  const email = typeof claims.email === "string" && claims.email ? claims.email : null;
  const name =
    (typeof claims.name === "string" && claims.name) ||
    (typeof claims.preferred_username === "string" && claims.preferred_username) ||
    null;
  return { id: claims.oid, name, email, image: null };
}

export function entraProvider(settings: EntraSettings): OIDCConfig<MicrosoftEntraIDProfile> {
  const provider = MicrosoftEntraID({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    ...(settings.issuer ? { issuer: settings.issuer } : {}),
    authorization: { params: { scope: settings.scope } },
    profile: profileFromIdToken,
  });
  // The provider object's own fetch wins over one passed in its options (parseProviders in
  // node_modules/@auth/core/lib/utils/providers.js), so it is replaced here.
  return { ...provider, [customFetch]: entraFetch(settings) };
}
