// A minimal local Microsoft Entra ID, enough for @azure/identity (MSAL Node) to get ACS tokens offline:
// OpenID discovery, JWKS, the client-credentials token endpoint, App Service's managed-identity
// endpoint (`/msi/token`, also Container Apps) and the IMDS one (`/metadata/identity/oauth2/token`,
// VMs/AKS; MSAL is pointed at it by AZURE_POD_IDENTITY_AUTHORITY_HOST), plus the authorization-code
// sign-in for users. The Identity API calls verifyAccessToken() for `Authorization: Bearer` requests.
export { createEntraApi, type EntraDeps } from "./api";
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
