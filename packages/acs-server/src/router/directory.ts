import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ADD_TO_CHAT_MAX, DIRECTORY_QUERY_MAX, DIRECTORY_QUERY_MIN } from "../domain/directory";
import { protectedProcedure } from "../trpc";
import { idSchema, plainText } from "../validation";

export const directoryRouter = {
  /**
   * Other app users whose email is exactly `query` or whose display name starts with it (both
   * case-insensitive; at most 20). Creates no ACS identity: see addToChat.
   */
  search: protectedProcedure
    .input(
      z
        .object({ query: plainText({ min: DIRECTORY_QUERY_MIN, max: DIRECTORY_QUERY_MAX }) })
        .strict(),
    )
    .query(({ ctx, input }) => ctx.services.directory.search(ctx.user.id, input.query)),

  /**
   * The caller starts a chat with, or adds to a chat, these users: returns their ACS ids (identities
   * created on demand) and lets each of them and the caller see the other's presence.
   */
  addToChat: protectedProcedure
    .input(z.object({ userIds: z.array(idSchema).min(1).max(ADD_TO_CHAT_MAX) }).strict())
    .mutation(({ ctx, input }) => ctx.services.directory.addToChat(ctx.user.id, input.userIds)),
} satisfies TRPCRouterRecord;
