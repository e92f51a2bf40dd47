// Several "tabs" in one process: real BroadcastChannel (Node has it globally) or an in-memory
// channel whose delivery the test controls, and an in-memory navigator.locks (Node 20 has none)
// whose grants the test can hold back. Every ordering below is driven explicitly; no sleeps.
import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryLocks, memoryStorage } from "../../test/helpers/browser";
import type { MemoryLocks } from "../../test/helpers/browser";
import { createAcsTokenCredential } from "./credential";
import { createBroadcastCrossTab, detectBrowserCrossTab, sharedTokenKey } from "./cross-tab";
import { forgetSharedToken } from "./forget-shared-token";
import type { ChannelLike, LockManagerLike } from "./cross-tab";
import type { AcsTokenCredential, Timers, TokenFetchReason, TokenResponse } from "./types";

/**
 * BroadcastChannel stand-in: a message reaches every other channel of the same name on a later
 * macrotask, unless the receiving tab holds that kind of message, in which case it waits for
 * `release`. `log` records sends, deliveries and lock grants in the order they happen.
 */
function memoryChannels() {
  const open = new Set<{
    name: string;
    tab: string;
    listeners: Set<(event: MessageEvent) => void>;
  }>();
  const held = new Map<string, { kinds: readonly string[] | "all"; queue: (() => void)[] }>();
  const log: string[] = [];
  const deliver = (tab: string, kind: string, run: () => void) => {
    const hold = held.get(tab);
    if (hold && (hold.kinds === "all" || hold.kinds.includes(kind))) hold.queue.push(run);
    else setImmediate(run);
  };
  return {
    log,
    /** Holds back the messages of these kinds (default: all) sent to `tab`. */
    hold: (tab: string, kinds: readonly string[] | "all" = "all") =>
      void held.set(tab, { kinds, queue: [] }),
    release: (tab: string) => {
      const queue = held.get(tab)?.queue ?? [];
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
            const kind = (message as { kind: string }).kind;
            log.push(`${tab} sent ${kind}`);
            for (const other of open) {
              if (other === self || other.name !== name) continue;
              deliver(other.tab, kind, () => {
                if (!open.has(other)) return;
                log.push(`${other.tab} received ${kind}`);
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

/**
 * A tab's view of the shared lock manager: logs when the tab runs under the refresh lock, and can
 * hold that back (`gate`) to model a grant task that runs after a channel delivery.
 */
function tabLocks(
  shared: MemoryLocks,
  tab: string,
  log: string[],
  gates: Map<string, Promise<void>>,
): LockManagerLike {
  return {
    request: (name, callback) =>
      name.endsWith(":refresh")
        ? shared.request(name, async () => {
            await gates.get(tab);
            log.push(`${tab} granted lock`);
            return callback();
          })
        : shared.request(name, callback),
    query: () => shared.query(),
  };
}

/** Timers that only fire when the test says so. */
function manualTimers(): Timers & { fireAll(): void; pending(): number } {
  const scheduled = new Map<number, () => void>();
  let id = 0;
  return {
    setTimeout: (cb) => {
      scheduled.set(++id, cb);
      return id;
    },
    clearTimeout: (h) => void scheduled.delete(h as number),
    fireAll: () => {
      const callbacks = [...scheduled.values()];
      scheduled.clear();
      callbacks.forEach((cb) => cb());
    },
    pending: () => scheduled.size,
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
  vi.unstubAllGlobals();
});

/** Tabs of one browser: one lock manager, controllable channels, manually fired timers. */
function simulatedTabs(lifetimeMs = 60 * 60_000) {
  const name = `acs-token-race-${Math.random()}`;
  const sharedLocks = memoryLocks();
  const channels = memoryChannels();
  const gates = new Map<string, Promise<void>>();
  const fetches: { tab: string; reason: TokenFetchReason }[] = [];
  let issued = 0;
  const open = (tab: string) => {
    const timers = manualTimers();
    const coordinatorTimers = manualTimers();
    const coordinator = createBroadcastCrossTab({
      name,
      locks: tabLocks(sharedLocks, tab, channels.log, gates),
      createChannel: channels.factory(tab),
      timers: coordinatorTimers,
      tabId: tab,
    });
    const cred: AcsTokenCredential = createAcsTokenCredential({
      crossTab: coordinator,
      fetchToken: (reason) => {
        fetches.push({ tab, reason });
        issued += 1;
        // Each later token lives a little longer, as a real refresh would.
        return Promise.resolve(tokenResponse(`t${issued}`, lifetimeMs + issued * 1_000));
      },
      timers,
    });
    const close = () => {
      cred.dispose();
      coordinator.close();
    };
    cleanups.push(close);
    return { tab, cred, close, fireAll: () => timers.fireAll(), coordinatorTimers };
  };
  /** Holds `tab`'s turns under the refresh lock until the returned function is called. */
  const holdGrant = (tab: string) => {
    let release!: () => void;
    gates.set(tab, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      gates.delete(tab);
      release();
    };
  };
  return { name, channels, fetches, open, holdGrant, sharedLocks };
}

type Tab = ReturnType<ReturnType<typeof simulatedTabs>["open"]>;
const settled = (tab: Tab, token: string) =>
  tab.cred.current?.token === token && tab.cred.getSnapshot().status === "valid";

it("is a no-op in Node (no window, no Web Locks)", () => {
  expect(detectBrowserCrossTab("x")).toBeUndefined();
});

it("over a real BroadcastChannel: one tab refreshes under the lock, the other adopts its token", async () => {
  const name = `acs-token-test-${Math.random()}`;
  const locks = memoryLocks();
  const fetches: { tab: string; reason: TokenFetchReason }[] = [];
  let n = 0;
  const tabs = ["A", "B"].map((tab) => {
    const timers = manualTimers();
    const coordinator = createBroadcastCrossTab({ name, locks });
    const cred = createAcsTokenCredential({
      crossTab: coordinator,
      fetchToken: (reason) => {
        fetches.push({ tab, reason });
        n += 1;
        return Promise.resolve(tokenResponse(`t${n}`, 60 * 60_000 + n));
      },
      timers,
    });
    cleanups.push(() => {
      cred.dispose();
      coordinator.close();
    });
    return { cred, fireAll: () => timers.fireAll() };
  });
  const [a, b] = tabs as [(typeof tabs)[0], (typeof tabs)[0]];

  expect((await a.cred.getToken()).token).toBe("t1");
  await until(() => b.cred.current?.token === "t1", "tab B to adopt t1");
  expect(fetches).toEqual([{ tab: "A", reason: "initial" }]);
  expect((await b.cred.getToken()).token).toBe("t1");

  // Both tabs' refresh timers fire at the same moment: A wins the lock and fetches; B, next in
  // line, asks A before fetching and adopts its token.
  a.fireAll();
  b.fireAll();
  await until(
    () => b.cred.current?.token === "t2" && b.cred.getSnapshot().status === "valid",
    "tab B to adopt t2",
  );
  await until(() => a.cred.getSnapshot().status === "valid", "tab A to settle");
  expect(fetches).toEqual([
    { tab: "A", reason: "initial" },
    { tab: "A", reason: "refresh" },
  ]);
});

it("a revocation seen by one tab revokes the others", async () => {
  const name = `acs-token-test-${Math.random()}`;
  const locks = memoryLocks();
  const make = (fetchToken: () => Promise<TokenResponse>) => {
    const coordinator = createBroadcastCrossTab({ name, locks });
    const cred = createAcsTokenCredential({ crossTab: coordinator, fetchToken });
    cleanups.push(() => {
      cred.dispose();
      coordinator.close();
    });
    return cred;
  };
  const a = make(() =>
    Promise.reject(Object.assign(new Error("revoked"), { code: "UNAUTHORIZED" })),
  );
  const b = make(() => Promise.resolve(tokenResponse("b1", 3_600_000)));
  // A is first: the server refuses it (UNAUTHORIZED), so it is revoked and tells B.
  await expect(a.getToken()).rejects.toMatchObject({ name: "TokenRevokedError" });
  await until(() => b.getSnapshot().status === "revoked", "tab B to be revoked");
  await expect(b.getToken()).rejects.toMatchObject({ name: "TokenRevokedError" });
});

describe.each([2, 3])("%i tabs make one refresh call", (count) => {
  const names = ["A", "B", "C"].slice(0, count);

  async function openWithToken() {
    const sim = simulatedTabs();
    const tabs = names.map((tab) => sim.open(tab));
    const [first, ...others] = tabs as [Tab, ...Tab[]];
    expect((await first.cred.getToken()).token).toBe("t1");
    await until(() => others.every((tab) => settled(tab, "t1")), "the others to adopt t1");
    sim.channels.log.length = 0;
    return { ...sim, first, others, tabs };
  }

  it("when the others are granted the lock before A's announcement reaches them", async () => {
    const { channels, fetches, first, others, tabs } = await openWithToken();
    // The announcement of the new token stays undelivered until every turn under the lock is over.
    for (const tab of others) channels.hold(tab.tab, ["token"]);
    tabs.forEach((tab) => tab.fireAll());
    await until(
      () =>
        tabs.every((tab) => settled(tab, "t2")) &&
        others.every((tab) => channels.log.includes(`${tab.tab} granted lock`)),
      "every tab to hold t2 after its turn under the lock",
    );
    expect(fetches).toEqual([
      { tab: "A", reason: "initial" },
      { tab: "A", reason: "refresh" },
    ]);
    for (const tab of others) {
      expect(channels.log).not.toContain(`${tab.tab} received token`);
      channels.release(tab.tab);
      await until(
        () => channels.log.includes(`${tab.tab} received token`),
        "the late announcement",
      );
      expect(channels.log.indexOf(`${tab.tab} granted lock`)).toBeLessThan(
        channels.log.indexOf(`${tab.tab} received token`),
      );
      expect(tab.cred.getSnapshot()).toMatchObject({ status: "valid", fetchCount: 0 });
    }
    expect(first.cred.getSnapshot().fetchCount).toBe(2);
    expect(fetches).toHaveLength(2);
  });

  it("when A's announcement reaches the others before they are granted the lock", async () => {
    const { channels, fetches, others, tabs, holdGrant } = await openWithToken();
    const releases = others.map((tab) => holdGrant(tab.tab));
    tabs.forEach((tab) => tab.fireAll());
    await until(
      () => others.every((tab) => channels.log.includes(`${tab.tab} received token`)),
      "the announcement to reach the waiting tabs",
    );
    releases.forEach((release) => release());
    await until(
      () =>
        tabs.every((tab) => settled(tab, "t2")) &&
        others.every((tab) => channels.log.includes(`${tab.tab} granted lock`)),
      "every tab to hold t2 after its turn under the lock",
    );
    for (const tab of others) {
      expect(channels.log.indexOf(`${tab.tab} received token`)).toBeLessThan(
        channels.log.indexOf(`${tab.tab} granted lock`),
      );
    }
    expect(fetches).toEqual([
      { tab: "A", reason: "initial" },
      { tab: "A", reason: "refresh" },
    ]);
  });

  it("tabs opened at the same instant share one initial fetch, announcements undelivered", async () => {
    const { channels, fetches, open } = simulatedTabs();
    const tabs = names.map((tab) => open(tab));
    for (const tab of names) channels.hold(tab, ["token"]);
    const tokens = await Promise.all(tabs.map((tab) => tab.cred.getToken()));
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(["t1"]));
    expect(fetches).toEqual([{ tab: "A", reason: "initial" }]);
    expect(channels.log.filter((line) => line.endsWith("received token"))).toEqual([]);
  });
});

it("a tab opened later gets the token from a live tab without fetching", async () => {
  const { fetches, open } = simulatedTabs();
  const a = open("A");
  expect((await a.cred.getToken()).token).toBe("t1");
  const late = open("C");
  expect((await late.cred.getToken()).token).toBe("t1");
  expect(fetches).toHaveLength(1);
});

it("alone (the other tab closed), a tab fetches at once without waiting for an answer", async () => {
  const { fetches, open } = simulatedTabs();
  const a = open("A");
  const b = open("B");
  b.close();
  expect((await a.cred.getToken()).token).toBe("t1");
  expect(a.coordinatorTimers.pending()).toBe(0);
  expect(fetches).toEqual([{ tab: "A", reason: "initial" }]);
});

it("a frozen tab that never answers delays the fetch by the reply time-out only", async () => {
  const { channels, fetches, open } = simulatedTabs();
  const frozen = open("F");
  channels.hold("F");
  const a = open("A");
  const token = a.cred.getToken();
  await until(
    () => channels.log.includes("A sent token-request") && a.coordinatorTimers.pending() === 1,
    "A to ask F",
  );
  expect(fetches).toEqual([]);
  a.coordinatorTimers.fireAll();
  expect((await token).token).toBe("t1");
  expect(fetches).toEqual([{ tab: "A", reason: "initial" }]);
  expect(frozen.cred.current).toBeUndefined();
});

it("a forced refresh never adopts the token ACS refused, even when another tab offers it", async () => {
  const { fetches, open } = simulatedTabs();
  const a = open("A");
  const b = open("B");
  expect((await a.cred.getToken()).token).toBe("t1");
  await until(() => settled(b, "t1"), "tab B to adopt t1");
  // ACS answered 401 for t1 in tab A; B still holds t1 and offers it when asked.
  expect((await a.cred.forceRefresh("t1")).token).toBe("t2");
  expect(fetches.map((f) => f.reason)).toEqual(["initial", "forced"]);
});

it("forgetSharedToken: every tab drops the token from memory, and an earlier version's entry is removed", async () => {
  const name = `acs-token:u-${Math.random()}`;
  const locks = memoryLocks();
  const storage = memoryStorage();
  storage.setItem(sharedTokenKey(name), '{"response":{"token":"left over"}}');
  storage.setItem("unrelated", "kept");
  let n = 0;
  const tabs = ["A", "B"].map(() => {
    const coordinator = createBroadcastCrossTab({ name, locks });
    const cred = createAcsTokenCredential({
      crossTab: coordinator,
      fetchToken: () => Promise.resolve(tokenResponse(`t${++n}`, 3_600_000)),
    });
    cleanups.push(() => {
      cred.dispose();
      coordinator.close();
    });
    return cred;
  });
  const [a, b] = tabs as [AcsTokenCredential, AcsTokenCredential];
  await a.getToken();
  await until(() => b.current?.token === "t1", "tab B to adopt t1");

  forgetSharedToken(name, { storage });
  await until(
    () => tabs.every((tab) => tab.getSnapshot().status === "revoked"),
    "every tab to drop its token",
  );
  expect(tabs.map((tab) => tab.current)).toEqual([undefined, undefined]);
  await expect(b.getToken()).rejects.toMatchObject({ name: "TokenRevokedError" });
  expect([...storage.map.keys()]).toEqual(["unrelated"]);
  expect(n).toBe(1);
  // Without BroadcastChannel or storage (SSR) it is a no-op, not an error.
  vi.stubGlobal("BroadcastChannel", undefined);
  expect(() => forgetSharedToken(name)).not.toThrow();
});

it("a starting credential removes every token entry earlier versions left in localStorage", () => {
  const storage = memoryStorage();
  storage.setItem(sharedTokenKey("acs-token:u1"), '{"response":{"token":"old"}}');
  storage.setItem(sharedTokenKey("acs-token"), '{"response":{"token":"older"}}');
  storage.setItem("acs-token:probe", "1");
  storage.setItem("acs-stack:unsent", "[]");
  vi.stubGlobal("localStorage", storage);
  const cred = createAcsTokenCredential({
    crossTab: false,
    fetchToken: () => Promise.reject(new Error("unused")),
  });
  cred.dispose();
  expect([...storage.map.keys()]).toEqual(["acs-stack:unsent"]);
});
