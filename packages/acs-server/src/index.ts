// Public API of @acs-stack/acs-server (see README.md).
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

import type { AcsServerRouter } from "./root";

// The wire contract (also its own Node-free entry point, `@acs-stack/acs-server/contract`)
export * from "./contract";

// tRPC: acsRouter is mounted at `acs` by the app's own router, built with the same building blocks
export { acsRouter } from "./root";
export {
  createCallerFactory,
  createTRPCContext,
  createTRPCRouter,
  protectedProcedure,
  publicProcedure,
} from "./trpc";
export type { CreateContextOptions, SessionUser, TRPCContext } from "./trpc";
/** Inputs and outputs of the `acs.*` procedures, at the paths an app mounts them. */
export type RouterInputs = inferRouterInputs<AcsServerRouter>;
export type RouterOutputs = inferRouterOutputs<AcsServerRouter>;

// Logs (the host app supplies a pino-compatible logger)
export { userTagger } from "./observability/call-log";
export type { CallLogger, LogFields, RequestLog } from "./observability/call-log";

// Services, policies and errors
export { createAcsServices } from "./services";
export type { AcsServices, AcsServicesOptions } from "./services";
export { parseScopeList, staticScopePolicy } from "./domain/scope-policy";
export type { ScopePolicy } from "./domain/scope-policy";
export {
  NoCurrentGrantError,
  PresenceNotGrantedError,
  PresenceNotVisibleError,
  RateLimitedError,
  InvalidChatMembersError,
  PresenceWatchLimitError,
  ScopeNotAllowedError,
  SessionEndedError,
  TeamsSignInInvalidError,
  TeamsSignInMismatchError,
  TeamsSignInRequiredError,
  UnknownAppUserError,
  toTRPCError,
} from "./errors";
// Teams users: the host app's `teamsUserToken` context function returns a TeamsSignIn
export type { TeamsSignIn, TeamsUserToken } from "./domain/teams";

// Presence
export {
  DEFAULT_PRESENCE_POLL_INTERVAL_MS,
  DEFAULT_PRESENCE_SWEEP_INTERVAL_MS,
  DEFAULT_PRESENCE_TIMEOUT_MS,
  DEFAULT_PRESENCE_WATCH_MAX_DURATION_MS,
  DEFAULT_PRESENCE_WATCH_QUEUE_MAX,
  DEFAULT_PRESENCE_WATCH_STREAMS_PER_USER,
} from "./domain/presence";
export type { PresenceService, PresenceSnapshot, PresenceTargets } from "./domain/presence";
export { PRESENCE_CHANNEL } from "./db/presence";
export { PRESENCE_WATCH_MAX } from "./router/presence";

// Input schemas (shared with the app's own forms)
export {
  BIDI_CONTROL_MESSAGE,
  CONTROL_CHARACTER_MESSAGE,
  DISPLAY_NAME_MAX,
  ID_MAX,
  PRESENCE_TEXT_MAX,
  TOPIC_MAX,
  displayNameSchema,
  displayText,
  idSchema,
  isSafeDisplayText,
  plainText,
  presenceTextSchema,
  topicSchema,
} from "./validation";
export type { TextOptions } from "./validation";
export { ADD_TO_CHAT_MAX, DIRECTORY_SEARCH_LIMIT } from "./domain/directory";
export type { ChatMember, DirectoryEntry } from "./domain/directory";

// Database
export { DatabaseUnavailableError, createDatabase, schema } from "./db";
export type { Database, DatabaseOptions, ListenerState } from "./db";
export { MIGRATIONS_FOLDER } from "./db/migrations-folder";
export { createEntraTokenStore } from "./db/entra-tokens";
export type { EntraTokenStore, SealedEntraTokens } from "./db/entra-tokens";
export { DatabaseConfigError, databaseOptionsFromEnv } from "./db/config";
export {
  createUserStore,
  EmailTakenError,
  normalizeEmail,
  ProviderAccountTakenError,
} from "./db/users";
export type { AppUser, LinkedAccount, ProviderAccount, UserStore } from "./db/users";
export { createSessionStore } from "./db/sessions";
export type { AuthSession, SessionStore } from "./db/sessions";
export { createLoginThrottle } from "./db/login-throttle";
export { EMAIL_TOKEN_TTL_MS, createEmailTokenStore } from "./db/email-tokens";
export type {
  EmailTokenPurpose,
  EmailTokenStore,
  EmailTokenStoreOptions,
  IssuedEmailToken,
  PasswordReset,
} from "./db/email-tokens";
export { createMailSendLimit } from "./domain/mail-limits";
export type { MailSendDecision, MailSendLimit, MailSendPolicy } from "./domain/mail-limits";
export type { LoginReservation, LoginThrottle, LoginThrottlePolicy } from "./db/login-throttle";

// Control plane
export {
  ControlPlaneConfigError,
  HmacRestIdentityGateway,
  createIdentityGateway,
  describeControlPlane,
  resolveControlPlaneConfig,
  selectAuthModel,
  signAcsRequest,
} from "./control-plane/index";
export type {
  ControlPlaneConfig,
  ControlPlaneEnv,
  ControlPlaneOptions,
} from "./control-plane/index";
export { SdkIdentityGateway, classifyIdentityError } from "./control-plane/sdk-identity-gateway";
export { EmulatorNotRunningError, probeEmulator } from "./control-plane/emulator";

// Deployment: what a production server needs before it serves
export {
  checkDeployment,
  deploymentErrorMessage,
  devDefaultsWarning,
  MISSING_ACS,
  MISSING_DATABASE,
} from "./deployment-policy";
export type { DeploymentCheck, DeploymentEnv, DevDefaults } from "./deployment-policy";
export * from "./control-plane/identity-gateway";
export { readServerEnv } from "./env";
export type { ServerEnv } from "./env";
