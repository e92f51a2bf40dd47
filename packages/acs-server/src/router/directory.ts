import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { protectedProcedure } from "../trpc";

export const directoryRouter = {
  /** Other app users matching `query` (name or email, case-insensitive), with their ACS ids. */
  search: protectedProcedure
    .input(z.object({ query: z.string().trim().min(1).max(100) }))
    .query(({ ctx, input }) => ctx.services.directory.search(ctx.user.id, input.query)),
} satisfies TRPCRouterRecord;
