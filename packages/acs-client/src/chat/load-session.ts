// The chat session's code (session, threads, message store, mapping, event stream) loaded on demand,
// like the chat SDK it drives: neither is needed before the first token arrives, so both stay out of
// a page's initial JavaScript. The SDK is requested at the same time, not after the session module
// has run, so the two downloads overlap instead of queueing behind each other.
import type { ChatSession, ChatSessionOptions } from "./session";

export async function loadChatSession(options: ChatSessionOptions): Promise<ChatSession> {
  const [{ createChatSession }] = await Promise.all([
    import("./session"),
    import("@azure/communication-chat"),
  ]);
  return createChatSession(options);
}
