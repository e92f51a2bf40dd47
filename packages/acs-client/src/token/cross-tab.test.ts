// Two "tabs" in one process: real BroadcastChannel (Node has it globally) and an in-memory
// stand-in for navigator.locks (Node 20 has no Web Locks).
import { afterEach, expect, it } from "vitest";
import { createAcsTokenCredential } from "./credential";
import { createBroadcastCrossTab, detectBrowserCrossTab } from "./cross-tab";
import type { LockManagerLike } from "./cross-tab";
import type { TokenFetchReason, TokenResponse } from "./types";

function memoryLocks(): LockManagerLike {
  const tails = new Map<string, Promise<unknown>>();
  return {
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      const previous = tails.get(name) ?? Promise.resolve();
      const result = previous.then(callback, callback);
      tails.set(name, result.catch(() => undefined));
      return result;
    },
  };
}

function tokenResponse(token: string, lifetimeMs: number): TokenResponse {
  return {
    token,
    expiresOn: new Date(Date.now() + lifetimeMs).toISOString(),
    scopes: ["chat"],
    acsUserId: "8:acs:res_user",
    endpoint: "https://127.0.0.1:10443/",
    emulator: true,
    serverTime: new Date().toISOString(),
  };
}

/** Waits (on real macrotasks) until the condition holds: channel delivery is asynchronous. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 10_000 && !condition(); i++) await new Promise((r) => setImmediate(r));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

it("is a no-op in Node (no window, no Web Locks)", () => {
  expect(detectBrowserCrossTab("x")).toBeUndefined();
});

it("one tab refreshes under the lock; the other adopts the broadcast token instead of fetching", async () => {
  const name = `acs-token-test-${Math.random()}`;
  const locks = memoryLocks();
  const fetches: { tab: string; reason: TokenFetchReason }[] = [];
  let n = 0;
  // Manual timers so each tab's refresh can be fired on demand.
  const tabs = ["A", "B"].map((tab) => {
    const scheduled = new Map<number, () => void>();
    let id = 0;
    const coordinator = createBroadcastCrossTab({ name, locks });
    const cred = createAcsTokenCredential({
      crossTab: coordinator,
      fetchToken: (reason) => {
        fetches.push({ tab, reason });
        n += 1;
        return Promise.resolve(tokenResponse(`t${n}`, 60 * 60_000 + n));
      },
      timers: {
        setTimeout: (cb) => {
          scheduled.set(++id, cb);
          return id;
        },
        clearTimeout: (h) => void scheduled.delete(h as number),
      },
    });
    cleanups.push(() => {
      cred.dispose();
      coordinator.close();
    });
    // The refresh timer is the first one scheduled after a token is adopted.
    const fireAll = () => {
      const callbacks = [...scheduled.values()];
      scheduled.clear();
      callbacks.forEach((cb) => cb());
    };
    return { cred, fireAll };
  });
  const [a, b] = tabs as [(typeof tabs)[0], (typeof tabs)[0]];

  expect((await a.cred.getToken()).token).toBe("t1");
  await until(() => b.cred.current?.token === "t1", "tab B to adopt t1");
  expect(fetches).toEqual([{ tab: "A", reason: "initial" }]);
  // B can hand out a token without ever fetching.
  expect((await b.cred.getToken()).token).toBe("t1");

  // Both tabs' refresh timers fire at the same moment: A wins the lock and fetches; B, next in
  // line, sees A's broadcast before fetching and adopts it.
  a.fireAll();
  b.fireAll();
  await until(() => b.cred.current?.token === "t2" && b.cred.getSnapshot().status === "valid", "tab B to adopt t2");
  await until(() => a.cred.getSnapshot().status === "valid", "tab A to settle");
  expect(fetches).toEqual([
    { tab: "A", reason: "initial" },
    { tab: "A", reason: "refresh" },
  ]);
});

it("a revocation seen by one tab revokes the others", async () => {
  const name = `acs-token-test-${Math.random()}`;
  const make = (fetchToken: () => Promise<TokenResponse>) => {
    const coordinator = createBroadcastCrossTab({ name, locks: memoryLocks() });
    const cred = createAcsTokenCredential({ crossTab: coordinator, fetchToken });
    cleanups.push(() => {
      cred.dispose();
      coordinator.close();
    });
    return cred;
  };
  const a = make(() => Promise.reject(Object.assign(new Error("revoked"), { code: "UNAUTHORIZED" })));
  const b = make(() => Promise.resolve(tokenResponse("b1", 3_600_000)));
  // A is first: the server refuses it (UNAUTHORIZED), so it is revoked and tells B.
  await expect(a.getToken()).rejects.toMatchObject({ name: "TokenRevokedError" });
  await until(() => b.getSnapshot().status === "revoked", "tab B to be revoked");
  await expect(b.getToken()).rejects.toMatchObject({ name: "TokenRevokedError" });
});
