// @acs-stack/acs-client/react — see README.md. SSR-safe: nothing runs at import time.
export { AcsProvider, useAcsContext } from "./provider";
export type { AcsProviderProps, AcsContextValue } from "./provider";
export { useAcsToken, useChat, useThreads, acsQueryKeys } from "./hooks";
export type { UseAcsTokenResult, UseChatResult, UseThreadsResult } from "./hooks";
export { useInbox, useInboxNewMessages } from "./use-inbox";
export type { UseInboxResult } from "./use-inbox";
export type { InboxMessage, InboxState, InboxThread } from "../chat/inbox";
export type {
  ChatMessageView,
  ChatThreadSummary,
  ConnectionState,
  ParticipantView,
  ReadReceiptView,
  TypingUserView,
} from "../chat/types";
export type { CredentialStatus, TokenResponse, FetchToken } from "../token/types";
