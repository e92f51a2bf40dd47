// The Edge runtime's reader of process.env: `src/env.ts` imports node: modules (fs, crypto), which an
// Edge bundle cannot load, so Edge routes read their few variables here (Web APIs, zod and the
// shared zod env helper only).
import { optionalString } from "@acs-stack/config/env";
import { z } from "zod";

const optional = optionalString();

const schema = z.object({
  /** Inlined by `next build` ("production"): diagnostic routes are off in every production build. */
  NODE_ENV: optional,
  /** `1` enables `/api/acs/edge-check` (off by default: it creates and deletes an ACS identity per call). */
  ACS_EDGE_CHECK_ENABLED: optional,
  /**
   * The ACS the Edge check talks to, kept apart from the app's own ACS_* variables so enabling the check
   * never changes the rest of the app's model. Unset → the app's ACS_ENDPOINT/ACS_ACCESS_KEY/ACS_CONNECTION_STRING.
   */
  EDGE_CHECK_ACS_ENDPOINT: optional,
  EDGE_CHECK_ACS_ACCESS_KEY: optional,
  ACS_ENDPOINT: optional,
  ACS_ACCESS_KEY: optional,
  ACS_CONNECTION_STRING: optional,
});

export function readEdgeCheckEnv() {
  const env = schema.parse({
    NODE_ENV: process.env.NODE_ENV,
    ACS_EDGE_CHECK_ENABLED: process.env.ACS_EDGE_CHECK_ENABLED,
    EDGE_CHECK_ACS_ENDPOINT: process.env.EDGE_CHECK_ACS_ENDPOINT,
    EDGE_CHECK_ACS_ACCESS_KEY: process.env.EDGE_CHECK_ACS_ACCESS_KEY,
    ACS_ENDPOINT: process.env.ACS_ENDPOINT,
    ACS_ACCESS_KEY: process.env.ACS_ACCESS_KEY,
    ACS_CONNECTION_STRING: process.env.ACS_CONNECTION_STRING,
  });
  const dedicated =
    env.EDGE_CHECK_ACS_ENDPOINT !== undefined || env.EDGE_CHECK_ACS_ACCESS_KEY !== undefined;
  return {
    production: env.NODE_ENV === "production",
    enabled: env.ACS_EDGE_CHECK_ENABLED === "1" || env.ACS_EDGE_CHECK_ENABLED === "true",
    /** Variables in the shape `createEdgeIdentityGateway` reads. */
    acsVariables: dedicated
      ? { ACS_ENDPOINT: env.EDGE_CHECK_ACS_ENDPOINT, ACS_ACCESS_KEY: env.EDGE_CHECK_ACS_ACCESS_KEY }
      : {
          ACS_ENDPOINT: env.ACS_ENDPOINT,
          ACS_ACCESS_KEY: env.ACS_ACCESS_KEY,
          ACS_CONNECTION_STRING: env.ACS_CONNECTION_STRING,
        },
  };
}
