import type { TRPCRouterRecord } from "@trpc/server";

import { TeamsSignInRequiredError } from "../errors";
import { protectedProcedure } from "../trpc";

export const teamsRouter = {
  /**
   * An ACS token for the caller's Teams identity, in exchange for their Microsoft Entra access token
   * (from the host app's `teamsUserToken` context function; never part of the answer). Same shape as
   * acs.token.issue plus `identityKind: "teamsUser"`; call it again to refresh.
   */
  exchangeToken: protectedProcedure.mutation(async ({ ctx }) => {
    const signIn = await ctx.teamsUserToken();
    if (!signIn) throw new TeamsSignInRequiredError();
    return ctx.services.teams.exchange(ctx.user, signIn, { sessionActive: ctx.sessionActive });
  }),
} satisfies TRPCRouterRecord;
