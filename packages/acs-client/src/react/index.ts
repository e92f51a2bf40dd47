// @acs-stack/acs-client/react — see README.md. SSR-safe: nothing runs at import time.
export { AcsProvider, useAcsContext } from "./provider";
export type { AcsProviderProps, AcsContextValue, ChatSessionStatus } from "./provider";
export { useAcsToken, useChatSession, useThreads } from "./hooks";
export type {
  StartChatOptions,
  UseAcsTokenResult,
  UseChatSessionResult,
  UseThreadsResult,
} from "./hooks";
export { useChat } from "./use-chat";
export type { ChatThreadStatus, UseChatResult } from "./use-chat";
export type { ChatThreadHandle } from "../chat/thread";
export { SessionWaitAbortedError } from "./session-gate";
// Sign-out drops the token this browser's tabs share. Exported here so a page needs only this entry
// point: the package root also re-exports the chat session, which must stay out of the initial load.
export { forgetSharedToken } from "../token/forget-shared-token";
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
