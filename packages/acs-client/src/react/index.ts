// @acs-stack/acs-client/react — see README.md. SSR-safe: nothing runs at import time.
export { AcsProvider, useAcsContext } from "./provider";
export type { AcsProviderProps, AcsContextValue } from "./provider";
export { useAcsToken, useChat, useThreads, acsQueryKeys } from "./hooks";
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
