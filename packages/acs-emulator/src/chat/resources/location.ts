import type { EmulatorRequest } from "../../http/types";

/** ACS's Location: colon escaped, `@` kept (chat-1.4.0-beta.2 …creates_a_thread.json, …sends_a_message.json). */
export function threadLocation(request: EmulatorRequest, threadId: string): string {
  const thread = encodeURIComponent(threadId).replace(/%40/g, "@");
  return `https://${request.headers.host ?? request.url.host}/chat/threads/${thread}`;
}
