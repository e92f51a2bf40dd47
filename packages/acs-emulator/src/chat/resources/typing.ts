// Typing notifications: published to the other participants only, never journaled.
import type { EmulatorRequest, EmulatorResponse } from "../../http/types";
import { identifierKind } from "../model";
import { parseBody, typingSchema } from "../requests";
import type { ChatRouteContext } from "./context";
import { senderName } from "./event-payloads";

export function createTypingRoutes(ctx: ChatRouteContext) {
  async function sendTyping(request: EmulatorRequest, threadId: string): Promise<EmulatorResponse> {
    const user = await ctx.authenticate(request, "read");
    const thread = ctx.threadFor(threadId, user.acsUserId);
    const body = parseBody(request, typingSchema);
    const now = ctx.deps.now();
    const others = [...thread.participants.keys()].filter((id) => id !== user.acsUserId);
    ctx.publish("typingIndicatorReceived", threadId, others, {
      sender: identifierKind(user.acsUserId),
      senderDisplayName: senderName(thread, user.acsUserId, body.senderDisplayName),
      version: String(now.getTime()),
      receivedOn: now.toISOString(),
    });
    return { status: 200 };
  }

  return { sendTyping };
}
