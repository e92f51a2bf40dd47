export { createAcsTokenCredential } from "./credential";
export { backoffDelay } from "./backoff";
export { createBroadcastCrossTab, detectBrowserCrossTab, sharedTokenKey } from "./cross-tab";
export { forgetSharedToken, removeLegacyTokenEntries } from "./forget-shared-token";
export type {
  BroadcastCrossTabOptions,
  ChannelLike,
  CrossTabCoordinator,
  CrossTabMessage,
  LockManagerLike,
  SharedTokenRecord,
  StorageLike,
} from "./cross-tab";
export * from "./errors";
export type * from "./types";
