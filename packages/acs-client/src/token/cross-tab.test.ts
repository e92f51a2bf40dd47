// Two "tabs" in one process: real BroadcastChannel (Node has it globally) or an in-memory channel
// whose delivery the test controls, and in-memory stand-ins for navigator.locks and localStorage
// (Node 20 has neither).
import { afterEach, expect, it } from "vitest";
import { createAcsTokenCredential } from "./credential";
import { createBroadcastCrossTab, detectBrowserCrossTab, forgetSharedToken, sharedTokenKey } from "./cross-tab";
import type { ChannelLike, LockManagerLike, StorageLike } from "./cross-tab";
import type { AcsTokenCredential, TokenFetchReason, TokenResponse } from "./types";

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

/** One `localStorage` shared by all simulated tabs. */
function memoryStorage(): StorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

/**
 * BroadcastChannel stand-in: a message reaches every other channel of the same name on a later
 * macrotask, unless the receiving tab's inbox is held, in which case it waits for `release`.
 */
function memoryChannels() {
  const open = new Set<{ name: string; tab: string; listeners: Set<(event: MessageEvent) => void> }>();
  const held = new Map<string, (() => void)[]>();
  const log: string[] = [];
  const deliver = (tab: string, run: () => void) => {
    const queue = held.get(tab);
    if (queue) queue.push(run);
    else setImmediate(run);
  };
  return {
    log,
    hold: (tab: string) => void held.set(tab, held.get(tab) ?? []),
    release: (tab: string) => {
      const queue = held.get(tab) ?? [];
      held.delete(tab);
      queue.forEach((run) => setImmediate(run));
    },
    factory:
      (tab: string) =>
      (name: string): ChannelLike => {
        const self = { name, tab, listeners: new Set<(event: MessageEvent) => void>() };
        open.add(self);
        return {
          postMessage: (message) => {
            for (const other of open) {
              if (other === self || other.name !== name) continue;
              deliver(other.tab, () => {
                if (!open.has(other)) return;
                log.push(`${other.tab} received ${(message as { kind: string }).kind}`);
                for (const listener of other.listeners) listener({ data: message } as MessageEvent);
              });
            }
          },
          addEventListener: (_type, listener) => void self.listeners.add(listener),
          removeEventListener: (_type, listener) => void self.listeners.delete(listener),
          close: () => void open.delete(self),
        };
      },
  };
}

/** A tab's view of a shared lock manager that records when the tab is granted the lock. */
function taggedLocks(shared: LockManagerLike, tab: string, log: string[]): LockManagerLike {
  return {
    request: (name, callback) =>
      shared.request(name, () => {
        log.push(`${tab} granted lock`);
        return callback();
      }),
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
  const deadline = Date.now() + 5_000;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setImmediate(r));
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
  const storage = memoryStorage();
  const fetches: { tab: string; reason: TokenFetchReason }[] = [];
  let n = 0;
  // Manual timers so each tab's refresh can be fired on demand.
  const tabs = ["A", "B"].map((tab) => {
    const scheduled = new Map<number, () => void>();
    let id = 0;
    const coordinator = createBroadcastCrossTab({ name, locks, storage });
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
  // line, reads A's stored token before fetching and adopts it.
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
  const storage = memoryStorage();
  storage.setItem(sharedTokenKey(name), "left over from an earlier token");
  const make = (fetchToken: () => Promise<TokenResponse>) => {
    const coordinator = createBroadcastCrossTab({ name, locks: memoryLocks(), storage });
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
  // Revocation clears the shared store too.
  expect(storage.map.has(sharedTokenKey(name))).toBe(false);
});

/** Two tabs on one lock, one store and controllable channels, with manually fired timers. */
function simulatedTabs(lifetimeMs = 60 * 60_000) {
  const name = `acs-token-race-${Math.random()}`;
  const sharedLocks = memoryLocks();
  const storage = memoryStorage();
  const channels = memoryChannels();
  const fetches: { tab: string; reason: TokenFetchReason }[] = [];
  let issued = 0;
  const open = (tab: string) => {
    const scheduled = new Map<number, () => void>();
    let id = 0;
    const coordinator = createBroadcastCrossTab({
      name,
      locks: taggedLocks(sharedLocks, tab, channels.log),
      storage,
      createChannel: channels.factory(tab),
    });
    const cred: AcsTokenCredential = createAcsTokenCredential({
      crossTab: coordinator,
      fetchToken: (reason) => {
        fetches.push({ tab, reason });
        issued += 1;
        // Each later token lives a little longer, as a real refresh would.
        return Promise.resolve(tokenResponse(`t${issued}`, lifetimeMs + issued * 1_000));
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
    const fireAll = () => {
      const callbacks = [...scheduled.values()];
      scheduled.clear();
      callbacks.forEach((cb) => cb());
    };
    return { cred, fireAll };
  };
  return { name, storage, channels, fetches, open };
}

it("refresh race: B gets the lock before A's channel message reaches it, and still does not fetch", async () => {
  const { channels, fetches, open, storage, name } = simulatedTabs();
  const a = open("A");
  const b = open("B");
  expect((await a.cred.getToken()).token).toBe("t1");
  await until(() => b.cred.current?.token === "t1", "tab B to adopt t1");
  channels.log.length = 0;

  // Hold everything sent to B until both refreshes are over: B can only learn of A's new token
  // from the shared store.
  channels.hold("B");
  a.fireAll();
  b.fireAll();
  await until(
    () => a.cred.current?.token === "t2" && a.cred.getSnapshot().status === "valid",
    "tab A to hold t2",
  );
  await until(
    () => channels.log.includes("B granted lock") && b.cred.getSnapshot().status !== "refreshing",
    "tab B to finish its turn under the lock",
  );
  // Exactly one refresh call for the two tabs.
  expect(fetches).toEqual([
    { tab: "A", reason: "initial" },
    { tab: "A", reason: "refresh" },
  ]);
  expect(b.cred.current?.token).toBe("t2");
  expect(channels.log).not.toContain("B received token");
  channels.release("B");
  await until(() => channels.log.includes("B received token"), "the late message to reach B");

  expect(channels.log.indexOf("B granted lock")).toBeLessThan(channels.log.indexOf("B received token"));
  expect(fetches).toEqual([
    { tab: "A", reason: "initial" },
    { tab: "A", reason: "refresh" },
  ]);
  expect(b.cred.getSnapshot()).toMatchObject({ status: "valid", fetchCount: 0 });
  expect((await b.cred.getToken()).token).toBe("t2");
  // What the next lock holder reads: the newest token, with a generation per publication.
  expect(JSON.parse(storage.getItem(sharedTokenKey(name)) ?? "null")).toMatchObject({
    response: { token: "t2" },
    generation: 2,
  });
});

it("tabs opened at the same instant share one initial fetch", async () => {
  const { channels, fetches, open } = simulatedTabs();
  const a = open("A");
  const b = open("B");
  channels.hold("A");
  channels.hold("B");
  const [tokenA, tokenB] = await Promise.all([a.cred.getToken(), b.cred.getToken()]);
  expect(tokenA.token).toBe(tokenB.token);
  expect(fetches).toHaveLength(1);
  expect(fetches[0]?.reason).toBe("initial");
  channels.release("A");
  channels.release("B");
});

it("a tab opened later adopts the stored token without fetching", async () => {
  const { fetches, open } = simulatedTabs();
  const a = open("A");
  expect((await a.cred.getToken()).token).toBe("t1");
  const late = open("C");
  expect((await late.cred.getToken()).token).toBe("t1");
  expect(fetches).toHaveLength(1);
});

it("a forced refresh never adopts the stored token that ACS refused", async () => {
  const { fetches, open } = simulatedTabs();
  const a = open("A");
  expect((await a.cred.getToken()).token).toBe("t1");
  // ACS answered 401 for t1, which is also what the store holds.
  expect((await a.cred.forceRefresh("t1")).token).toBe("t2");
  expect(fetches.map((f) => f.reason)).toEqual(["initial", "forced"]);
});

it("an expired or unreadable stored token is ignored", async () => {
  const { fetches, open, storage, name } = simulatedTabs();
  storage.setItem(sharedTokenKey(name), "{not json");
  const a = open("A");
  expect((await a.cred.getToken()).token).toBe("t1");
  a.cred.dispose();
  const record = JSON.parse(storage.getItem(sharedTokenKey(name)) ?? "null") as { expiresOnLocal: number };
  storage.setItem(sharedTokenKey(name), JSON.stringify({ ...record, expiresOnLocal: Date.now() - 1 }));
  const b = open("B");
  expect((await b.cred.getToken()).token).toBe("t2");
  expect(fetches.map((f) => f.tab)).toEqual(["A", "B"]);
});

it("forgetSharedToken removes the stored token (for sign-out)", () => {
  const storage = memoryStorage();
  storage.setItem(sharedTokenKey("acs-token:u1"), "{}");
  forgetSharedToken("acs-token:u1", storage);
  expect(storage.map.size).toBe(0);
  // Without a store (Node) it is a no-op, not an error.
  expect(() => forgetSharedToken("acs-token:u1")).not.toThrow();
});
