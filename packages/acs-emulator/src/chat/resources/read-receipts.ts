// Read receipts: send (a participant's receipt only moves forward) and list (newest first, skip paging).
import type { EmulatorRequest, EmulatorResponse } from "../../http/types";
import { identifierKind, identifierModel } from "../model";
import { nextLink, nonNegativeInt, pageSize } from "../paging";
import { parseBody, readReceiptSchema } from "../requests";
import { visibleMessage } from "./access";
import type { ChatRouteContext } from "./context";
import { senderName } from "./event-payloads";

export function createReadReceiptRoutes(ctx: ChatRouteContext) {
  async function sendReadReceipt(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await ctx.authenticate(request, "read");
    const thread = ctx.threadFor(threadId, user.acsUserId);
    const body = parseBody(request, readReceiptSchema);
    const message = visibleMessage(thread, user.acsUserId, body.chatMessageId);
    const now = ctx.deps.now();
    await ctx.commit("chat.readReceipt.sent", now, {
      threadId,
      userId: user.acsUserId,
      messageId: message.id,
      readOn: now.toISOString(),
    });
    ctx.publish("readReceiptReceived", threadId, thread.participants.keys(), {
      sender: identifierKind(user.acsUserId),
      senderDisplayName: senderName(thread, user.acsUserId),
      chatMessageId: message.id,
      readOn: now.toISOString(),
    });
    return { status: 200 };
  }

  async function listReadReceipts(
    request: EmulatorRequest,
    threadId: string,
  ): Promise<EmulatorResponse> {
    const user = await ctx.authenticate(request, "read");
    const thread = ctx.threadFor(threadId, user.acsUserId);
    const size = pageSize(request);
    const skip = nonNegativeInt(request, "skip");
    const all = [...thread.receipts.entries()]
      .filter(([userId]) => thread.participants.has(userId))
      .sort(([, a], [, b]) => Date.parse(b.readOn) - Date.parse(a.readOn));
    const more = skip + size < all.length;
    return {
      status: 200,
      json: {
        value: all.slice(skip, skip + size).map(([userId, r]) => ({
          senderCommunicationIdentifier: identifierModel(userId),
          chatMessageId: r.messageId,
          readOn: r.readOn,
        })),
        ...(more && {
          nextLink: nextLink(request, { skip: String(skip + size), maxPageSize: String(size) }),
        }),
      },
    };
  }

  return { sendReadReceipt, listReadReceipts };
}
