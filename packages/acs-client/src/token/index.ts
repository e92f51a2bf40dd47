export { createAcsTokenCredential } from "./credential";
export { backoffDelay } from "./backoff";
export {
  createBroadcastCrossTab,
  detectBrowserCrossTab,
  forgetSharedToken,
  removeLegacyTokenEntries,
  sharedTokenKey,
} from "./cross-tab";
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
