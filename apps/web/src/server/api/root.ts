// The web app's tRPC router: acs-server's procedures at `acs` (the browser and acs-client call
// `acs.*`) beside the app's own routers, all built with acs-server's building blocks, so they share
// its context, error formatter and call log. Served by app/api/trpc/[trpc]/route.ts and called on the
// server through server/acs.ts.
import { acsRouter, createTRPCRouter } from "@acs-stack/acs-server";
import { profileRouter } from "./routers/profile";

export const appRouter = createTRPCRouter({
  acs: acsRouter,
  profile: profileRouter,
});

export type AppRouter = typeof appRouter;
