import type { TRPCRouterRecord } from "@trpc/server";

import { directoryRouter } from "./router/directory";
import { identityRouter } from "./router/identity";
import { presenceRouter } from "./router/presence";
import { teamsRouter } from "./router/teams";
import { tokenRouter } from "./router/token";
import { createTRPCRouter } from "./trpc";

/**
 * acs-server's procedures as a router record. An app mounts it at `acs` in its own router
 * (`createTRPCRouter({ acs: acsRouter, …its own routers })`): the browser and acs-client call `acs.*`.
 */
export const acsRouter = {
  identity: identityRouter,
  token: tokenRouter,
  directory: directoryRouter,
  presence: presenceRouter,
  teams: teamsRouter,
} satisfies TRPCRouterRecord;

/**
 * acs-server's procedures alone, mounted at `acs` as an app mounts them: this package's tests, bench
 * and RouterInputs/RouterOutputs use it. Not exported: an app builds its own router.
 */
export const acsServerRouter = createTRPCRouter({ acs: acsRouter });

export type AcsServerRouter = typeof acsServerRouter;
