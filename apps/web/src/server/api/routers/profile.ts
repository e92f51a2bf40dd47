// The signed-in person's profile: an app procedure beside acs-server's. It reads and changes the user
// through acs-server's user store (ctx.services.users), never its tables.
import { UnknownAppUserError, displayNameSchema, protectedProcedure } from "@acs-stack/acs-server";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

export const profileRouter = {
  /** The signed-in person's display name and email. */
  get: protectedProcedure.query(async ({ ctx }) => {
    const user = await ctx.services.users.findById(ctx.user.id);
    if (!user) throw new UnknownAppUserError();
    return { displayName: user.displayName, email: user.email };
  }),

  /** Changes the name other people see (directory search, chats joined from now on). */
  updateDisplayName: protectedProcedure
    .input(z.object({ displayName: displayNameSchema }).strict())
    .mutation(async ({ ctx, input }) => {
      const user = await ctx.services.users.updateDisplayName(ctx.user.id, input.displayName);
      if (!user) throw new UnknownAppUserError();
      return { displayName: user.displayName, email: user.email };
    }),
} satisfies TRPCRouterRecord;
