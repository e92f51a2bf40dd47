import type { TRPCRouterRecord } from "@trpc/server";

import { protectedProcedure } from "../trpc";

export const identityRouter = {
  /** The caller's ACS identity, created on first use. */
  me: protectedProcedure.query(async ({ ctx }) => {
    const identity = await ctx.services.identities.ensure(ctx.user.id);
    return { acsUserId: identity.acsUserId, createdAt: identity.createdAt.toISOString() };
  }),

  /** Deletes the caller's ACS identity and mapping; safe to retry. */
  delete: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.services.identities.remove(ctx.user.id);
    return { deleted: true as const };
  }),
} satisfies TRPCRouterRecord;
