import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backoffDelay } from "./backoff";
import { createAcsTokenCredential } from "./credential";
import {
  CredentialDisposedError,
  TokenFetchTimeoutError,
  TokenRevokedError,
  TokenUnavailableError,
} from "./errors";
import type {
  AcsTokenCredentialOptions,
  FetchToken,
  TokenFetchReason,
  TokenResponse,
} from "./types";

const MINUTE = 60_000;

/** A token response as the server would send it, `lifetimeMs` from the server's clock. */
function tokenResponse(token: string, lifetimeMs: number, skewMs = 0): TokenResponse {
  const serverNow = Date.now() + skewMs;
  return {
    token,
    expiresOn: new Date(serverNow + lifetimeMs).toISOString(),
    scopes: ["chat"],
    acsUserId: "8:acs:res_user",
    endpoint: "https://127.0.0.1:10443/",
    emulator: true,
    serverTime: new Date(serverNow).toISOString(),
  };
}

interface Script {
  calls: { reason: TokenFetchReason; at: number; signal: AbortSignal }[];
  fetchToken: FetchToken;
}

/** fetchToken that runs `answer` for each call, recording reason and time. */
function scripted(
  answer: (call: number, reason: TokenFetchReason) => Promise<TokenResponse>,
): Script {
  const calls: Script["calls"] = [];
  return {
    calls,
    fetchToken: (reason, { signal }) => {
      calls.push({ reason, at: Date.now(), signal });
      return answer(calls.length, reason);
    },
  };
}

function credential(script: Script, overrides: Partial<AcsTokenCredentialOptions> = {}) {
  return createAcsTokenCredential({
    fetchToken: script.fetchToken,
    random: () => 0.5,
    crossTab: false,
    ...overrides,
  });
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("proactive refresh schedule", () => {
  it("refreshes at the configured fraction of the lifetime, with jitter from random()", async () => {
    const script = scripted((n) => Promise.resolve(tokenResponse(`t${n}`, 60 * MINUTE)));
    const cred = credential(script, { refreshFraction: [0.5, 0.8], random: () => 0.5 });
    const start = Date.now();
    await expect(cred.getToken()).resolves.toMatchObject({ token: "t1" });
    // 0.5 + 0.5 * (0.8 - 0.5) = 0.65 of 60 min = 39 min
    await vi.advanceTimersByTimeAsync(39 * MINUTE - 10);
    expect(script.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(script.calls).toHaveLength(2);
    expect(script.calls[1]?.reason).toBe("refresh");
    expect(script.calls[1]!.at - start).toBeGreaterThanOrEqual(39 * MINUTE);
    expect((await cred.getToken()).token).toBe("t2");
    cred.dispose();
  });

  it.each([
    [0, 0.5],
    [0.999999, 0.8],
  ])("jitter bounds: random()=%s refreshes at %s of the lifetime", async (r, fraction) => {
    const script = scripted((n) => Promise.resolve(tokenResponse(`t${n}`, 100 * MINUTE)));
    const cred = credential(script, { refreshFraction: [0.5, 0.8], random: () => r });
    const start = Date.now();
    await cred.getToken();
    await vi.advanceTimersByTimeAsync(100 * MINUTE);
    const at = script.calls[1]!.at - start;
    expect(Math.abs(at - fraction * 100 * MINUTE)).toBeLessThan(1000);
    cred.dispose();
  });

  it("corrects for clock skew using serverTime", async () => {
    // The server clock is 10 minutes ahead; its token lives 60 minutes.
    const script = scripted(() => Promise.resolve(tokenResponse("t", 60 * MINUTE, 10 * MINUTE)));
    const cred = credential(script);
    const token = await cred.getToken();
    expect(Math.abs(token.expiresOnTimestamp - (Date.now() + 60 * MINUTE))).toBeLessThan(1000);
    expect(cred.getSnapshot().clockSkewMs).toBeGreaterThan(9 * MINUTE);
    cred.dispose();
  });
});

describe("failures and backoff", () => {
  it("backoff grows exponentially and is capped; full jitter stays within [0, cap)", () => {
    const b = { initialMs: 1000, maxMs: 10_000 };
    const max = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, b, max))).toEqual([
      999, 1999, 3999, 7999, 9999, 9999,
    ]);
    expect(backoffDelay(3, b, () => 0)).toBe(0);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(4, b, Math.random);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(8000);
    }
  });

  it("retries failed refreshes with growing, capped delays and serves the old token meanwhile", async () => {
    let failing = true;
    const script = scripted((n) =>
      n === 1 || !failing
        ? Promise.resolve(tokenResponse(`t${n}`, 60 * MINUTE))
        : Promise.reject(new Error("down")),
    );
    const cred = credential(script, {
      random: () => 0.999999,
      refreshFraction: [0.5, 0.5],
      backoff: { initialMs: 1000, maxMs: 8000 },
    });
    await cred.getToken();
    await vi.advanceTimersByTimeAsync(30 * MINUTE); // first refresh fails
    for (let i = 0; i < 6; i++) {
      const last = script.calls.length;
      while (script.calls.length === last) await vi.advanceTimersByTimeAsync(100);
      // Every request during the outage still gets the valid old token.
      await expect(cred.getToken()).resolves.toMatchObject({ token: "t1" });
      expect(cred.getSnapshot().status).toBe("expiring");
    }
    const gaps = script.calls.slice(2).map((c, i) => c.at - script.calls[i + 1]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[0]).toBeLessThanOrEqual(1100);
    expect(gaps[1]).toBeGreaterThanOrEqual(1900);
    expect(gaps[2]).toBeGreaterThanOrEqual(3900);
    // capped at 8 s
    expect(Math.max(...gaps)).toBeLessThanOrEqual(8100);
    expect(gaps[gaps.length - 1]).toBeGreaterThanOrEqual(7900);
    failing = false;
    while (cred.getSnapshot().status !== "valid") await vi.advanceTimersByTimeAsync(100);
    expect((await cred.getToken()).token).not.toBe("t1");
    expect(cred.getSnapshot().lastError).toBeUndefined();
    cred.dispose();
  });

  it("aborts a fetch after fetchTimeoutMs and retries", async () => {
    const script = scripted((n) =>
      n === 1
        ? new Promise<never>(() => undefined)
        : Promise.resolve(tokenResponse("t2", 60 * MINUTE)),
    );
    const cred = credential(script, {
      fetchTimeoutMs: 5000,
      backoff: { initialMs: 1000, maxMs: 1000 },
    });
    const pending = cred.getToken();
    await vi.advanceTimersByTimeAsync(4999);
    expect(script.calls[0]!.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(script.calls[0]!.signal.aborted).toBe(true);
    expect(cred.getSnapshot().lastError).toBeInstanceOf(TokenFetchTimeoutError);
    expect(cred.getSnapshot().status).toBe("error");
    await vi.advanceTimersByTimeAsync(1000);
    await expect(pending).resolves.toMatchObject({ token: "t2" });
    cred.dispose();
  });

  it("a getToken without any valid token gives up after maxWaitMs with a typed error", async () => {
    const script = scripted(() => Promise.reject(new Error("down")));
    const cred = credential(script, { maxWaitMs: 10_000 });
    const pending = cred.getToken();
    const outcome = expect(pending).rejects.toBeInstanceOf(TokenUnavailableError);
    await vi.advanceTimersByTimeAsync(10_000);
    await outcome;
    expect(script.calls.length).toBeGreaterThan(1);
    cred.dispose();
  });

  it("a failing proactive refresh with nobody waiting never produces an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const script = scripted((n) =>
        n === 1
          ? Promise.resolve(tokenResponse("t1", 10 * MINUTE))
          : Promise.reject(new Error("boom")),
      );
      const cred = credential(script);
      await cred.getToken();
      await vi.advanceTimersByTimeAsync(20 * MINUTE); // refreshes fail, the token expires
      expect(script.calls.length).toBeGreaterThan(3);
      expect(cred.getSnapshot().status).toBe("error");
      cred.dispose();
      // unhandledRejection is emitted after the microtask queue drains: let a real macrotask pass.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("single flight, forced refresh, revocation, dispose", () => {
  it("20 concurrent getToken calls cause one fetch", async () => {
    let release!: (r: TokenResponse) => void;
    const script = scripted(() => new Promise((resolve) => (release = resolve)));
    const cred = credential(script);
    const all = Promise.all(Array.from({ length: 20 }, () => cred.getToken()));
    await vi.advanceTimersByTimeAsync(0);
    expect(cred.getSnapshot().status).toBe("refreshing");
    release(tokenResponse("t1", 60 * MINUTE));
    const tokens = await all;
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(["t1"]));
    expect(script.calls).toHaveLength(1);
    expect(script.calls[0]?.reason).toBe("initial");
    cred.dispose();
  });

  it("forceRefresh fetches once per stale token, shared by concurrent callers", async () => {
    const script = scripted((n) => Promise.resolve(tokenResponse(`t${n}`, 60 * MINUTE)));
    const cred = credential(script);
    const first = await cred.getToken();
    const [a, b] = await Promise.all([
      cred.forceRefresh(first.token),
      cred.forceRefresh(first.token),
    ]);
    expect(a.token).toBe("t2");
    expect(b.token).toBe("t2");
    expect(script.calls.map((c) => c.reason)).toEqual(["initial", "forced"]);
    // A late 401 for the old token does not fetch again.
    await expect(cred.forceRefresh(first.token)).resolves.toMatchObject({ token: "t2" });
    expect(script.calls).toHaveLength(2);
    cred.dispose();
  });

  it("revoked: pending and later getToken reject with TokenRevokedError, no retries", async () => {
    const script = scripted((n) =>
      n === 1
        ? Promise.resolve(tokenResponse("t1", 60 * MINUTE))
        : Promise.reject(Object.assign(new Error("no grant"), { code: "PRECONDITION_FAILED" })),
    );
    const cred = credential(script);
    const statuses: string[] = [];
    cred.subscribe((s) => statuses.push(s.status));
    const first = await cred.getToken();
    const pending = cred.forceRefresh(first.token);
    const outcome = expect(pending).rejects.toBeInstanceOf(TokenRevokedError);
    await vi.advanceTimersByTimeAsync(0);
    await outcome;
    expect(cred.getSnapshot().status).toBe("revoked");
    await expect(cred.getToken()).rejects.toBeInstanceOf(TokenRevokedError);
    await vi.advanceTimersByTimeAsync(120 * MINUTE);
    expect(script.calls).toHaveLength(2);
    expect(statuses).toContain("revoked");
    expect(vi.getTimerCount()).toBe(0);
    cred.dispose();
  });

  it("dispose rejects waiters with CredentialDisposedError and stops every timer", async () => {
    const script = scripted(() => new Promise<never>(() => undefined));
    const cred = credential(script);
    const pending = cred.getToken();
    const outcome = expect(pending).rejects.toBeInstanceOf(CredentialDisposedError);
    await vi.advanceTimersByTimeAsync(0);
    cred.dispose();
    await outcome;
    expect(script.calls[0]!.signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await expect(cred.getToken()).rejects.toBeInstanceOf(CredentialDisposedError);
  });

  it("status goes expired → refreshing → valid, and expired again when the token lapses", async () => {
    const script = scripted((n) =>
      n === 1
        ? Promise.resolve(tokenResponse("t1", 10 * MINUTE))
        : new Promise<never>(() => undefined),
    );
    const cred = credential(script, { fetchTimeoutMs: 60 * MINUTE });
    const statuses: string[] = [cred.getSnapshot().status];
    cred.subscribe((s) => statuses.push(s.status));
    await cred.getToken();
    expect(statuses).toEqual(["expired", "refreshing", "valid"]);
    await vi.advanceTimersByTimeAsync(11 * MINUTE);
    expect(statuses.at(-1)).toBe("refreshing");
    expect(cred.getSnapshot().expiresOn!.getTime()).toBeLessThan(Date.now());
    cred.dispose();
  });
});
