import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { MAX_TOKEN_LIFETIME_MINUTES, MIN_TOKEN_LIFETIME_MINUTES, TOKEN_SCOPES } from "../contract";
import { isAcsScope } from "../domain/scope-policy";
import { protectedProcedure } from "../trpc";

export const issueTokenInput = z
  .object({
    scopes: z
      .array(z.enum(TOKEN_SCOPES))
      .min(1)
      .refine((scopes) => scopes.some(isAcsScope), {
        message: "Request at least one ACS scope (presence alone is not an ACS token).",
      })
      .optional(),
    expiresInMinutes: z
      .number()
      .int()
      .min(MIN_TOKEN_LIFETIME_MINUTES)
      .max(MAX_TOKEN_LIFETIME_MINUTES)
      .optional(),
  })
  .strict()
  .optional();

export const tokenRouter = {
  /** A user access token for the caller's identity, within the server's scope policy. */
  issue: protectedProcedure
    .input(issueTokenInput)
    .mutation(({ ctx, input }) =>
      ctx.services.tokens.issue(ctx.user, input ?? {}, { sessionActive: ctx.sessionActive }),
    ),

  /** Re-issues the caller's current grant (same scopes and lifetime). */
  refresh: protectedProcedure.mutation(({ ctx }) =>
    ctx.services.tokens.refresh(ctx.user, { sessionActive: ctx.sessionActive }),
  ),

  /** Revokes every token of the caller's identity. */
  revoke: protectedProcedure.mutation(({ ctx }) => ctx.services.tokens.revoke(ctx.user)),
} satisfies TRPCRouterRecord;
