import type { TRPCRouterRecord } from "@trpc/server";

import { protectedProcedure } from "../trpc";

export const identityRouter = {
  /**
   * The caller's ACS identity, or null before the first acs.token.issue creates it. A query never
   * creates anything: a cross-site GET (an <img> tag) can trigger it.
   */
  me: protectedProcedure.query(async ({ ctx }) => {
    const identity = await ctx.services.identities.find(ctx.user.id);
    return identity
      ? { acsUserId: identity.acsUserId, createdAt: identity.createdAt.toISOString() }
      : null;
  }),

  /** Deletes the caller's ACS identity and mapping; safe to retry. */
  delete: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.services.identities.remove(ctx.user.id);
    return { deleted: true as const };
  }),
} satisfies TRPCRouterRecord;
