import { directoryRouter } from "./router/directory";
import { identityRouter } from "./router/identity";
import { presenceRouter } from "./router/presence";
import { teamsRouter } from "./router/teams";
import { tokenRouter } from "./router/token";
import { createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  acs: {
    identity: identityRouter,
    token: tokenRouter,
    directory: directoryRouter,
    presence: presenceRouter,
    teams: teamsRouter,
  },
});

export type AppRouter = typeof appRouter;
