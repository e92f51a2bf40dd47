// Delete + re-create must not mint ACS identities without bound: at most
// ACS_IDENTITY_CREATIONS_PER_WINDOW (3) per ACS_IDENTITY_CREATION_WINDOW_MINUTES (10) per user, counted
// in the database so the limit holds across instances. Real emulator (official SDK), real PGlite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../src/db";
import { createDatabase } from "../src/db";
import { readServerEnv } from "../src/env";
import type { AcsServices } from "../src/services";
import { createAcsServices } from "../src/services";
import type { CountingGateway } from "./helpers/counting-gateway";
import { countingGateway } from "./helpers/counting-gateway";
import type { TestAcs } from "./helpers/emulator";
import { startTestAcs } from "./helpers/emulator";
import { manualClock } from "./helpers/presence";
import { callerTransport, failureOf, httpTransport } from "./helpers/transports";
import { createTestUser } from "./helpers/users";

let acs: TestAcs;
let database: Database;
let gateway: CountingGateway;
const clock = manualClock();
/** Two instances sharing the database (and ACS). */
let one: AcsServices;
let two: AcsServices;

beforeAll(async () => {
  [acs, database] = await Promise.all([startTestAcs(), createDatabase({ memory: true })]);
  gateway = countingGateway(acs.gateway);
  const env = readServerEnv({});
  [one, two] = await Promise.all([
    createAcsServices({ env, database, gateway, now: clock.now }),
    createAcsServices({ env, database, gateway, now: clock.now }),
  ]);
});

afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
  await database?.close();
  await acs?.close();
});

describe("ACS identity creation per user", () => {
  it("allows 3 per 10 minutes across instances, then TOO_MANY_REQUESTS with when to retry", async () => {
    const user = await createTestUser(database, "Churner");
    const apis = [callerTransport(one), httpTransport(two)];
    const createdBefore = gateway.created.length;
    // Delete and re-create in a loop, alternating instances.
    for (let i = 0; i < 3; i++) {
      const api = apis[i % 2]!;
      await api.call(user, "acs.token.issue", { scopes: ["chat"] });
      await api.call(user, "acs.identity.delete");
    }
    expect(gateway.created.length - createdBefore).toBe(3);

    for (const api of apis) {
      const refused = await failureOf(api.call(user, "acs.token.issue", { scopes: ["chat"] }));
      expect(refused.code).toBe("TOO_MANY_REQUESTS");
      expect(refused.message).toMatch(
        /Too many ACS identities created for this user; retry in \d+ s\./,
      );
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(600);
      if (refused.httpStatus !== undefined) expect(refused.httpStatus).toBe(429);
    }
    // Refused before ACS was asked: nothing more was created.
    expect(gateway.created.length - createdBefore).toBe(3);

    // Another user is not affected.
    await apis[1]!.call(await createTestUser(database, "Steady"), "acs.token.issue", {
      scopes: ["chat"],
    });

    // Once the window has passed, the next creation goes through.
    const { retryAfterSeconds } = await failureOf(
      apis[0]!.call(user, "acs.token.issue", { scopes: ["chat"] }),
    );
    clock.advance(retryAfterSeconds! * 1000);
    const renewed = await apis[0]!.call<{ acsUserId: string }>(user, "acs.token.issue", {
      scopes: ["chat"],
    });
    expect(gateway.created.at(-1)).toBe(renewed.acsUserId);
  });

  it("does not count issues for an identity that already exists", async () => {
    const user = await createTestUser(database, "Regular");
    const api = callerTransport(one);
    for (let i = 0; i < 6; i++) await api.call(user, "acs.token.issue", { scopes: ["chat"] });
    expect(
      (await api.call<{ acsUserId: string } | null>(user, "acs.identity.me"))?.acsUserId,
    ).toBeDefined();
  });
});
