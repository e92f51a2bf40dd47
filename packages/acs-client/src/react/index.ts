// @acs-stack/acs-client/react — see README.md. SSR-safe: nothing runs at import time.
export { AcsProvider, useAcsContext } from "./provider";
export type { AcsProviderProps, AcsContextValue } from "./provider";
export { useAcsToken, useChat, useThreads, acsQueryKeys } from "./hooks";
// Sign-out drops the token this browser's tabs share. Exported here so a page needs only this entry
// point: the package root also re-exports the chat session, which must stay out of the initial load.
export { forgetSharedToken } from "../token/cross-tab";
export type { UseAcsTokenResult, UseChatResult, UseThreadsResult } from "./hooks";
export type {
  ChatMessageView,
  ChatThreadSummary,
  ConnectionState,
  ParticipantView,
  ReadReceiptView,
  TypingUserView,
} from "../chat/types";
export type { CredentialStatus, TokenResponse, FetchToken } from "../token/types";
