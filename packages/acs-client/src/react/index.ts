// @acs-stack/acs-client/react — see README.md. SSR-safe: nothing runs at import time.
export { AcsProvider, useAcsContext } from "./provider";
export type { AcsProviderProps, AcsContextValue, ChatSessionStatus } from "./provider";
export { useAcsToken, useChat, useChatSession, useThreads, acsQueryKeys } from "./hooks";
export type {
  StartChatOptions,
  UseAcsTokenResult,
  UseChatResult,
  UseChatSessionResult,
  UseThreadsResult,
} from "./hooks";
export { SessionWaitAbortedError } from "./session-gate";
export type {
  ChatMessageView,
  ChatThreadSummary,
  ConnectionState,
  ParticipantView,
  ReadReceiptView,
  TypingUserView,
} from "../chat/types";
export type { CredentialStatus, TokenResponse, FetchToken } from "../token/types";
