export { startEmulator, type EmulatorOptions, type RunningEmulator } from "./server";
export { EMULATOR_DEFAULTS, EMULATOR_VERSION } from "./defaults";
export type { EntraOptions, EntraServicePrincipal, EntraManagedIdentity, EntraUser } from "./entra";
export type { VerifiedUser, UserTokenVerifier, UserAccessTokenRequest } from "./modules";
export {
  MAX_EXPIRES_IN_MINUTES,
  MIN_EXPIRES_IN_MINUTES,
  TOKEN_SCOPES,
  type TokenScope,
} from "./tokens/scopes";
export { CHAT_EVENT_KINDS, type ChatEventKind } from "./chat/events";
