// @acs-stack/acs-client: browser side of acs-stack. Nothing here touches `window` at import time,
// and the chat SDK is only loaded through dynamic import() inside createChatSession.
export * from "./token";
export {
  createEmulatorLoopbackPolicy,
  emulatorLoopbackPolicies,
  isLoopbackEmulatorEndpoint,
  EMULATOR_LOOPBACK_POLICY_NAME,
} from "./chat/emulator-loopback-policy";
export {
  createTokenRefreshPolicy,
  tokenRefreshPolicies,
  TOKEN_REFRESH_POLICY_NAME,
} from "./chat/token-refresh-policy";
export { createChatSession } from "./chat/session";
export type { ChatSession, ChatSessionOptions, StartChatInput } from "./chat/session";
export type { ChatThreadHandle, ChatThreadState } from "./chat/thread";
export { ChatInbox } from "./chat/inbox";
export type {
  ChatInboxOptions,
  InboxMessage,
  InboxSession,
  InboxState,
  InboxThread,
} from "./chat/inbox";
export type * from "./chat/types";
export { readServerSentEvents } from "./chat/sse";
export { UNKNOWN_PARTICIPANT_NAME, senderNameOf } from "./chat/mapping";
