import { expect, it } from "vitest";

import * as api from "./index";

it("exports the runtime names CONTRACTS.md §2 promises", () => {
  const contract = [
    "acsRouter",
    "createTRPCContext",
    "createCallerFactory",
    "createTRPCRouter",
    "protectedProcedure",
    "publicProcedure",
    "createAcsServices",
    "createDatabase",
    "schema",
    "createUserStore",
    "createIdentityGateway",
    "selectAuthModel",
    "AcsGatewayError",
    "TOKEN_SCOPES",
    "readServerEnv",
  ];
  expect(contract.filter((name) => !(name in api))).toEqual([]);
});

it("leaves the app router to the app", () => {
  expect("appRouter" in api).toBe(false);
});

it("routes exactly the twelve acs procedures where an app mounts acsRouter", () => {
  const router = api.createTRPCRouter({ acs: api.acsRouter });
  expect(Object.keys(router._def.procedures).sort()).toEqual([
    "acs.directory.addToChat",
    "acs.directory.search",
    "acs.identity.delete",
    "acs.identity.me",
    "acs.presence.allow",
    "acs.presence.heartbeat",
    "acs.presence.set",
    "acs.presence.watch",
    "acs.teams.exchangeToken",
    "acs.token.issue",
    "acs.token.refresh",
    "acs.token.revoke",
  ]);
});
