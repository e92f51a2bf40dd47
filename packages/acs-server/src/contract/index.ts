// The wire contract (`@acs-stack/acs-server/contract`): what crosses between acs-server and its
// clients (acs-client, the web app's browser code). Node-free and free of runtime dependencies, so
// browser bundles can import it; test/contract.test.ts keeps it that way and finds copies elsewhere.
export type { TokenResponse } from "./token";
export {
  DEFAULT_TOKEN_LIFETIME_MINUTES,
  MAX_TOKEN_LIFETIME_MINUTES,
  MIN_TOKEN_LIFETIME_MINUTES,
} from "./token";
export type { AcsTokenScope, AppTokenScope, TokenScope } from "./scopes";
export {
  ACS_TOKEN_SCOPES,
  APP_TOKEN_SCOPES,
  DEFAULT_REQUESTED_SCOPES,
  TOKEN_SCOPES,
} from "./scopes";
export type { PresenceState } from "./presence";
export { PRESENCE_STATES } from "./presence";
export type { SessionUser } from "./session-user";
export type { AcsErrorCode } from "./errors";
export { ACS_ERROR_CODES, REVOKED_ERROR_CODES } from "./errors";
