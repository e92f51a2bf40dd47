// The emulator's Chat API (api-version 2025-03-15) and its emulator-only event stream.
import type { ChatApi, ChatDeps } from "../modules";

export function createChatApi(deps: ChatDeps): ChatApi {
  void deps;
  return {
    handle: () => Promise.resolve(undefined),
    apply: (record) => record.type.startsWith("chat.") && false,
    onIdentityDeleted: () => Promise.resolve(),
    close: () => undefined,
  };
}
