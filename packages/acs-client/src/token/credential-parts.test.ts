// Unit tests of the credential's parts; credential.test.ts covers the credential they make up.
import { expect, it } from "vitest";
import { bestShareable } from "./cross-tab-sharing";
import { InvalidTokenResponseError, TokenUnavailableError, TokenWaitAbortedError } from "./errors";
import { isUsable, parseTokenResponse } from "./held-token";
import type { HeldToken } from "./held-token";
import { RefreshScheduler } from "./refresh-scheduler";
import { TokenWaiters } from "./token-waiters";
import type { Timers, TokenResponse } from "./types";

/** Timers that fire only when the test says so. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  const timers: Timers = {
    setTimeout: (callback, ms) => {
      pending.set(++next, { callback, ms });
      return next;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  const fireAll = () => {
    const due = [...pending.values()];
    pending.clear();
    for (const timer of due) timer.callback();
  };
  return { timers, pending, fireAll };
}

function response(expiresOn: string, serverTime: string): TokenResponse {
  return {
    token: "t",
    expiresOn,
    serverTime,
    scopes: ["chat"],
    acsUserId: "8:acs:r_me",
    endpoint: "https://acs.example",
    emulator: false,
  };
}

it("moves the expiry to the local clock by the skew measured around the fetch", () => {
  const serverNow = Date.parse("2026-01-01T12:00:00Z");
  const localNow = serverNow - 60_000; // the local clock is a minute behind
  const { token, clockSkewMs } = parseTokenResponse(
    response("2026-01-01T13:00:00Z", "2026-01-01T12:00:00Z"),
    { startedLocal: localNow - 100, endedLocal: localNow + 100 },
    5_000,
    (expiresOnLocal) => expiresOnLocal - 1,
  );
  expect(clockSkewMs).toBe(60_000);
  expect(token.expiresOnLocal).toBe(localNow + 3_600_000);
  expect(token.refreshAtLocal).toBe(token.expiresOnLocal - 1);
  expect(isUsable(token, 5_000, localNow)).toBe(true);
  expect(isUsable({ ...token, invalidated: true }, 5_000, localNow)).toBe(false);
  expect(() =>
    parseTokenResponse(
      response("2026-01-01T12:00:01Z", "2026-01-01T12:00:00Z"),
      { startedLocal: serverNow, endedLocal: serverNow },
      5_000,
      (e) => e,
    ),
  ).toThrow(InvalidTokenResponseError);
});

it("refreshes within the configured fraction of the lifetime and rejects a bad fraction", () => {
  const { timers, pending } = manualTimers();
  const make = (random: number, fraction: readonly [number, number]) =>
    new RefreshScheduler({
      timers,
      now: () => 0,
      random: () => random,
      refreshFraction: fraction,
      onDue: () => undefined,
      onExpired: () => undefined,
    });
  expect(make(0, [0.5, 0.8]).refreshAt(1_000, 0)).toBe(500);
  expect(make(0.999_999, [0.5, 0.8]).refreshAt(1_000, 0)).toBeCloseTo(800);
  expect(() => make(0, [0.8, 0.5])).toThrow(RangeError);
  const scheduler = make(0, [0.5, 0.8]);
  scheduler.schedule(10, "retry");
  scheduler.schedule(20, "refresh"); // replaces the retry
  expect(scheduler.pending).toBe("refresh");
  expect(pending.size).toBe(1);
  scheduler.stop();
  expect(scheduler.pending).toBeUndefined();
  expect(pending.size).toBe(0);
});

it("waiters get the next token, or give up on abort and after the longest wait", async () => {
  const { timers, fireAll } = manualTimers();
  const cause = new Error("fetch failed");
  const waiters = new TokenWaiters(timers, 30_000, () => cause);
  const first = waiters.wait(undefined);
  waiters.settle({ token: { token: "a", expiresOnTimestamp: 1 } });
  await expect(first).resolves.toEqual({ token: "a", expiresOnTimestamp: 1 });

  const controller = new AbortController();
  const aborted = waiters.wait(controller.signal);
  controller.abort();
  await expect(aborted).rejects.toBeInstanceOf(TokenWaitAbortedError);

  const late = waiters.wait(undefined);
  fireAll();
  await expect(late).rejects.toBeInstanceOf(TokenUnavailableError);
  await expect(late).rejects.toMatchObject({ cause });
});

it("shares the usable token that expires last, never one the filter refuses", () => {
  const held = (token: string, expiresOnLocal: number): HeldToken => ({
    response: {
      ...response("2026-01-01T13:00:00Z", "2026-01-01T12:00:00Z"),
      token,
    },
    expiresOnLocal,
    refreshAtLocal: 0,
    invalidated: false,
  });
  const refused = new Set(["b"]);
  const shareable = (t: HeldToken | undefined): t is HeldToken =>
    t !== undefined && !refused.has(t.response.token);
  expect(bestShareable([held("a", 10), held("b", 20), undefined], shareable, 7)).toMatchObject({
    response: { token: "a" },
    expiresOnLocal: 10,
    clockSkewMs: 7,
  });
  expect(bestShareable([undefined, held("b", 20)], shareable, 0)).toBeUndefined();
});
