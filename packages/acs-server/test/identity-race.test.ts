// 50 concurrent first calls for one new user end with exactly one ACS identity and no orphan in ACS,
// whether they arrive at one server instance or spread over several sharing the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../src/db";
import { createDatabase } from "../src/db";
import { readServerEnv } from "../src/env";
import type { AcsServices } from "../src/services";
import { createAcsServices } from "../src/services";
import type { CountingGateway } from "./helpers/counting-gateway";
import { countingGateway } from "./helpers/counting-gateway";
import type { TestAcs } from "./helpers/emulator";
import { startTestAcs, statusOf } from "./helpers/emulator";
import { callerTransport } from "./helpers/transports";
import { createTestUser } from "./helpers/users";

let acs: TestAcs;
let database: Database;

beforeAll(async () => {
  [acs, database] = await Promise.all([startTestAcs(), createDatabase({ memory: true })]);
});

afterAll(async () => {
  await database?.close();
  await acs?.close();
});

async function instances(
  count: number,
  gateway: CountingGateway,
  now?: () => Date,
): Promise<AcsServices[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      // Each racing instance creates one identity in ACS: lift the per-user creation limit above that.
      createAcsServices({
        env: readServerEnv({}),
        database,
        gateway,
        identityCreationLimit: { max: count },
        now,
      }),
    ),
  );
}

async function expectOneLiveIdentity(gateway: CountingGateway, winner: string) {
  // Every identity created for the user but not kept was deleted again, and is gone in ACS.
  expect(gateway.created).toContain(winner);
  expect([...gateway.deleted].sort()).toEqual(gateway.created.filter((id) => id !== winner).sort());
  for (const loser of gateway.deleted) {
    expect(
      await statusOf(acs.identityClient.getToken({ communicationUserId: loser }, ["chat"])),
    ).toBe(404);
  }
  expect(
    await statusOf(acs.identityClient.getToken({ communicationUserId: winner }, ["chat"])),
  ).toBe("ok");
}

describe("identity mapping under concurrency", () => {
  it("50 concurrent first uses on 10 instances sharing the DB map the user to one identity", async () => {
    const gateway = countingGateway(acs.gateway);
    const servers = await instances(10, gateway);
    const user = await createTestUser(database, "Racer");
    // ensure() is what token.issue (one user at a time) and directory.search (any user found) call.
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => servers[i % servers.length]!.identities.ensure(user.id)),
    );
    const ids = new Set(results.map((r) => r.acsUserId));
    // Each instance looked the user up before any insert was queued, so each created an identity:
    // the losers' clean-up path really ran.
    expect(gateway.created.length).toBe(servers.length);
    expect(ids.size).toBe(1);
    const [winner] = ids;
    await expectOneLiveIdentity(gateway, winner!);
    await Promise.all(servers.map((s) => s.close()));
  });

  it("50 concurrent token issues on one instance create a single identity", async () => {
    const gateway = countingGateway(acs.gateway);
    // One pinned instant: the limit counts in fixed minute windows, and a burst that crossed a
    // minute boundary would be counted in two of them (up to 60 allowed).
    const pinned = new Date();
    const [server] = await instances(1, gateway, () => pinned);
    const user = await createTestUser(database, "Burst");
    const api = callerTransport(server!);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        api
          .call<{ acsUserId: string }>(user, "acs.token.issue", { scopes: ["chat"] })
          .catch((e: unknown) => e),
      ),
    );
    // The rate limit (30/min by default) refuses some; every success names the same identity.
    const ok = results.filter(
      (r): r is { acsUserId: string } => typeof r === "object" && r !== null && "acsUserId" in r,
    );
    expect(ok.length).toBe(30);
    expect(new Set(ok.map((r) => r.acsUserId)).size).toBe(1);
    expect(gateway.created).toHaveLength(1);
    await expectOneLiveIdentity(gateway, ok[0]!.acsUserId);
    await server!.close();
  });
});
