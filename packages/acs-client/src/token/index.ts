export { createAcsTokenCredential } from "./credential";
export { backoffDelay } from "./backoff";
export { createBroadcastCrossTab, detectBrowserCrossTab } from "./cross-tab";
export type { CrossTabCoordinator, CrossTabMessage, LockManagerLike, BroadcastCrossTabOptions } from "./cross-tab";
export * from "./errors";
export type * from "./types";
