// Two `node server.js` instances on one PostgreSQL: what one instance does, the other
// respects. The same person on both at once gets one ACS identity; the token rate limit counts over
// both; a presence change made through one reaches a watcher connected to the other.
import { expect, test } from "@playwright/test";
import pg from "pg";
import type { Pool } from "undici";
import { createAccounts, type Account } from "./accounts";
import {
  appPool,
  mutate,
  signInOverHttp,
  subscribe,
  TrpcCallError,
  type AppTarget,
} from "./app-client";
import { runningStack, waitFor, type StackInfo } from "./stack";

interface IssuedToken {
  token: string;
  acsUserId: string;
}
interface PresenceSnapshot {
  userId: string;
  state: string;
  text: string | null;
}

let stack: StackInfo;
let one: AppTarget;
let two: AppTarget;
let pools: Pool[];

test.beforeAll(() => {
  stack = runningStack();
  expect(stack.apps).toHaveLength(2);
  one = stack.apps[0]!;
  two = stack.apps[1]!;
  pools = [appPool(one), appPool(two)];
});
test.afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
});

const poolOf = (target: AppTarget) => pools[target === one ? 0 : 1]!;

/** Signs in on instance one; the session (a JWT naming a row in the shared database) works on both. */
async function signedIn(label: string, count: number) {
  const accounts = await createAccounts(stack.databaseUrl, count, label);
  return Promise.all(
    accounts.map(async (account) => ({
      account,
      cookie: await signInOverHttp(one, poolOf(one), account.email, account.password),
    })),
  );
}

function issue(target: AppTarget, cookie: string) {
  return mutate<IssuedToken>(target, poolOf(target), cookie, "acs.token.issue", {});
}

async function identityRows(account: Account): Promise<number> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>(
      "select count(*)::int as n from acs_identities where user_id = $1",
      [account.id],
    );
    return result.rows[0]!.n;
  } finally {
    await client.end();
  }
}

test("the same person on both instances at once gets one ACS identity", async () => {
  const [{ account, cookie }] = (await signedIn("twin", 1)) as [
    { account: Account; cookie: string },
  ];
  // Half of the first issues on each instance, all at once, below the rate limit.
  const calls = Math.min(8, stack.tokenRateLimitPerMinute);
  const tokens = await Promise.all(
    Array.from({ length: calls }, (_, i) => issue(i % 2 === 0 ? one : two, cookie)),
  );
  expect(new Set(tokens.map((t) => t.acsUserId)).size).toBe(1);
  expect(await identityRows(account)).toBe(1);
  // A refresh on either instance re-issues for that same identity.
  const refreshed = await mutate<IssuedToken>(two, poolOf(two), cookie, "acs.token.refresh");
  expect(refreshed.acsUserId).toBe(tokens[0]!.acsUserId);
});

test("the token rate limit is shared: the N+1-th issue over both instances is refused", async () => {
  const [{ cookie }] = (await signedIn("limit", 1)) as [{ account: Account; cookie: string }];
  const limit = stack.tokenRateLimitPerMinute;
  // The limit counts per wall-clock minute: start with 10 s of it left at least (the calls take ~2 s),
  // so all of them fall in one window.
  await waitFor("10 s left in the minute", () => Promise.resolve(Date.now() % 60_000 < 50_000), {
    timeoutMs: 15_000,
  });
  for (let i = 0; i < limit; i += 1) await issue(i % 2 === 0 ? one : two, cookie);
  for (const target of [one, two]) {
    const refused = await issue(target, cookie).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TrpcCallError);
    expect((refused as TrpcCallError).code).toBe("TOO_MANY_REQUESTS");
    expect((refused as TrpcCallError).status).toBe(429);
  }
});

test("presence set through one instance reaches a watcher on the other", async () => {
  const [ada, bob] = (await signedIn("presence", 2)) as [
    { account: Account; cookie: string },
    { account: Account; cookie: string },
  ];
  // Presence rides on the token's grant; Ada lets Bob watch her.
  await issue(one, ada.cookie);
  await issue(two, bob.cookie);
  await mutate(one, poolOf(one), ada.cookie, "acs.presence.allow", { userIds: [bob.account.id] });

  const seen: PresenceSnapshot[] = [];
  const watching = new AbortController();
  try {
    await subscribe(
      two,
      poolOf(two),
      bob.cookie,
      "acs.presence.watch",
      { userIds: [ada.account.id] },
      (data) => {
        const snapshot = data as Partial<PresenceSnapshot>;
        if (snapshot.userId === ada.account.id) seen.push(snapshot as PresenceSnapshot);
      },
      watching.signal,
    );
    // The stream starts with Ada's current state: it is live (and instance two is listening).
    await expect.poll(() => seen.length).toBeGreaterThan(0);

    await mutate(one, poolOf(one), ada.cookie, "acs.presence.set", {
      state: "away",
      text: "set on instance one",
    });
    await expect
      .poll(() => seen.at(-1))
      .toMatchObject({ state: "away", text: "set on instance one" });
  } finally {
    watching.abort();
  }
});
