// A CommunicationTokenCredential that never drops a request: proactive jittered refresh,
// single-flight fetches, capped exponential backoff while the old token is still served,
// per-fetch timeouts, forced refresh on 401, clock-skew correction, cross-tab sharing, and
// no promise of its own that can reject unhandled.
import type { CommunicationGetTokenOptions } from "@azure/communication-common";
import type { AccessToken } from "@azure/core-auth";
import { backoffDelay } from "./backoff";
import { detectBrowserCrossTab } from "./cross-tab";
import { removeLegacyTokenEntries } from "./forget-shared-token";
import type { CrossTabCoordinator, CrossTabMessage, SharedTokenRecord } from "./cross-tab";
import {
  CredentialDisposedError,
  InvalidTokenResponseError,
  TokenFetchTimeoutError,
  TokenRevokedError,
  TokenUnavailableError,
  TokenWaitAbortedError,
  isRevokedTrpcError,
} from "./errors";
import type {
  AcsTokenCredential,
  AcsTokenCredentialOptions,
  CredentialSnapshot,
  CredentialStatus,
  TokenFetchReason,
  TokenResponse,
  Timers,
} from "./types";

interface HeldToken {
  readonly response: TokenResponse;
  /** Expiry on the local clock. */
  readonly expiresOnLocal: number;
  /** When the proactive refresh is due, local clock. */
  readonly refreshAtLocal: number;
  /** ACS answered 401 for it: never hand it out again. */
  invalidated: boolean;
}

interface Waiter {
  resolve(token: AccessToken): void;
  reject(error: Error): void;
}

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createAcsTokenCredential(options: AcsTokenCredentialOptions): AcsTokenCredential {
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const timers = options.timers ?? defaultTimers;
  const [fractionMin, fractionMax] = options.refreshFraction ?? [0.5, 0.8];
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 15_000;
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
  const marginMs = options.expiryMarginMs ?? 5_000;
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const isRevoked = options.isRevokedError ?? isRevokedTrpcError;
  if (!(fractionMin > 0 && fractionMin <= fractionMax && fractionMax < 1)) {
    throw new RangeError("refreshFraction must satisfy 0 < min <= max < 1");
  }

  // Earlier versions kept the token in localStorage: an upgrade leaves nothing of it behind.
  removeLegacyTokenEntries();
  const requested = options.crossTab ?? "auto";
  const ownsCrossTab = requested === "auto";
  const crossTab: CrossTabCoordinator | undefined =
    requested === "auto"
      ? detectBrowserCrossTab(options.crossTabName ?? "acs-token", {
          // Answer other tabs' requests only under a per-user name: the default name may be
          // shared by tabs of different users.
          askPeers: options.crossTabName !== undefined,
        })
      : requested === false
        ? undefined
        : requested;

  let held: HeldToken | undefined;
  /** Fetched and announced under the lock, not adopted yet: other tabs asking must get it. */
  let published: HeldToken | undefined;
  let clockSkewMs = 0;
  let lastError: unknown;
  let revoked = false;
  let disposed = false;
  let fetchCount = 0;
  let consecutiveFailures = 0;
  let inflight: Promise<void> | undefined;
  let inflightController: AbortController | undefined;
  let timer: { handle: unknown; kind: "refresh" | "retry" } | undefined;
  let expiryTimer: unknown;
  const forcedTokens = new Set<string>();
  const waiters = new Set<Waiter>();
  const listeners = new Set<(snapshot: CredentialSnapshot) => void>();
  let snapshot: CredentialSnapshot = computeSnapshot();

  const unsubscribeCrossTab = crossTab?.subscribe(onCrossTabMessage);
  const stopAnswering = crossTab?.answerWith?.(shareable);

  function usable(token: HeldToken | undefined): token is HeldToken {
    return token !== undefined && !token.invalidated && token.expiresOnLocal - marginMs > now();
  }

  function toAccessToken(token: HeldToken): AccessToken {
    return { token: token.response.token, expiresOnTimestamp: token.expiresOnLocal };
  }

  function currentStatus(): CredentialStatus {
    if (revoked) return "revoked";
    if (inflight) return "refreshing";
    if (usable(held)) return lastError === undefined ? "valid" : "expiring";
    return lastError === undefined ? "expired" : "error";
  }

  function computeSnapshot(): CredentialSnapshot {
    return {
      status: currentStatus(),
      expiresOn: held ? new Date(held.expiresOnLocal) : undefined,
      scopes: held?.response.scopes ?? [],
      acsUserId: held?.response.acsUserId,
      endpoint: held?.response.endpoint,
      emulator: held?.response.emulator,
      lastError,
      clockSkewMs,
      fetchCount,
    };
  }

  function sameSnapshot(a: CredentialSnapshot, b: CredentialSnapshot): boolean {
    return (
      a.status === b.status &&
      a.expiresOn?.getTime() === b.expiresOn?.getTime() &&
      a.lastError === b.lastError &&
      a.fetchCount === b.fetchCount &&
      a.clockSkewMs === b.clockSkewMs &&
      a.acsUserId === b.acsUserId
    );
  }

  function notify(): void {
    const next = computeSnapshot();
    if (sameSnapshot(next, snapshot)) return;
    snapshot = next;
    for (const listener of [...listeners]) {
      try {
        listener(next);
      } catch {
        // A broken UI listener must not break token delivery.
      }
    }
  }

  function clearTimer(): void {
    if (timer) timers.clearTimeout(timer.handle);
    timer = undefined;
  }

  function schedule(atLocal: number, kind: "refresh" | "retry"): void {
    clearTimer();
    const handle = timers.setTimeout(
      () => {
        timer = undefined;
        void startFetch(held ? "refresh" : "initial");
      },
      Math.max(0, atLocal - now()),
    );
    timer = { handle, kind };
  }

  function scheduleExpiryNotice(token: HeldToken): void {
    if (expiryTimer !== undefined) timers.clearTimeout(expiryTimer);
    // Flip the status to expired/error when the token stops being usable.
    expiryTimer = timers.setTimeout(
      () => {
        expiryTimer = undefined;
        notify();
      },
      Math.max(0, token.expiresOnLocal - marginMs - now() + 1),
    );
  }

  function settleWaiters(outcome: { token: AccessToken } | { error: Error }): void {
    const pending = [...waiters];
    waiters.clear();
    for (const waiter of pending) {
      if ("token" in outcome) waiter.resolve(outcome.token);
      else waiter.reject(outcome.error);
    }
  }

  function adopt(token: HeldToken): void {
    held = token;
    published = undefined;
    consecutiveFailures = 0;
    lastError = undefined;
    schedule(token.refreshAtLocal, "refresh");
    scheduleExpiryNotice(token);
    settleWaiters({ token: toAccessToken(token) });
  }

  function refreshAtFor(expiresOnLocal: number, fromLocal: number): number {
    const fraction = fractionMin + random() * (fractionMax - fractionMin);
    return fromLocal + (expiresOnLocal - fromLocal) * fraction;
  }

  function parseResponse(
    response: TokenResponse,
    startedLocal: number,
    endedLocal: number,
  ): HeldToken {
    if (typeof response?.token !== "string" || response.token.length === 0) {
      throw new InvalidTokenResponseError("missing token");
    }
    const expiresOnServer = Date.parse(response.expiresOn);
    const serverTime = Date.parse(response.serverTime);
    if (Number.isNaN(expiresOnServer))
      throw new InvalidTokenResponseError("expiresOn is not a date");
    // Without a server time we cannot correct skew: assume clocks agree.
    const skew = Number.isNaN(serverTime) ? 0 : serverTime - (startedLocal + endedLocal) / 2;
    const expiresOnLocal = expiresOnServer - skew;
    if (expiresOnLocal - marginMs <= endedLocal) {
      throw new InvalidTokenResponseError("the token is already expired");
    }
    clockSkewMs = Math.round(skew);
    return {
      response,
      expiresOnLocal,
      refreshAtLocal: refreshAtFor(expiresOnLocal, endedLocal),
      invalidated: false,
    };
  }

  async function fetchOnce(reason: TokenFetchReason): Promise<HeldToken> {
    const controller = new AbortController();
    inflightController = controller;
    let timeoutHandle: unknown;
    // Settles on timeout, or when we abort (dispose/revoke) so nothing is left waiting.
    const cutoff = new Promise<never>((_, reject) => {
      timeoutHandle = timers.setTimeout(() => {
        reject(new TokenFetchTimeoutError(fetchTimeoutMs));
        controller.abort();
      }, fetchTimeoutMs);
      controller.signal.addEventListener("abort", () => reject(new CredentialDisposedError()), {
        once: true,
      });
    });
    const startedLocal = now();
    try {
      // Promise.race subscribes to both, so a late rejection of either is handled.
      const response = await Promise.race([
        Promise.resolve().then(() => options.fetchToken(reason, { signal: controller.signal })),
        cutoff,
      ]);
      return parseResponse(response, startedLocal, now());
    } finally {
      timers.clearTimeout(timeoutHandle);
      inflightController = undefined;
    }
  }

  /** One fetch attempt. Never rejects; returns what to do once `inflight` is cleared. */
  async function attempt(reason: TokenFetchReason): Promise<() => void> {
    const tokenBefore = held?.response.token;
    try {
      const fresh = await (crossTab ? crossTab.withLock(lockedFetch) : lockedFetch());
      if (disposed || revoked) return () => undefined;
      if (fresh) fetchCount += 1;
      const adopted = fresh ?? held;
      return () => {
        if (adopted && !disposed && !revoked) adopt(adopted);
      };
    } catch (error) {
      return () => {
        if (disposed || revoked) return;
        if (isRevoked(error)) {
          enterRevoked(error, true);
          return;
        }
        consecutiveFailures += 1;
        lastError = error;
        schedule(now() + backoffDelay(consecutiveFailures, backoff, random), "retry");
      };
    }

    async function lockedFetch(): Promise<HeldToken | undefined> {
      if (disposed || revoked) return undefined;
      // Another tab may have fetched while we waited for the lock. Its channel message may not
      // have arrived yet (lock grant and delivery are unordered), so ask every live tab for its
      // token: the previous holder answers with the one it set aside before releasing the lock.
      const latest = await crossTab?.collectPeerTokens?.();
      if (disposed || revoked) return undefined;
      if (latest) offerToken(latest.response, latest.expiresOnLocal, latest.clockSkewMs);
      if (usable(held) && held.response.token !== tokenBefore) return undefined;
      const fresh = await fetchOnce(reason);
      // Set aside and announce while still holding the lock, so the next tab in line gets it
      // when it asks, before fetching.
      published = fresh;
      crossTab?.publish({
        kind: "token",
        response: fresh.response,
        expiresOnLocal: fresh.expiresOnLocal,
        clockSkewMs,
      });
      return fresh;
    }
  }

  function startFetch(reason: TokenFetchReason): Promise<void> {
    if (disposed || revoked) return Promise.resolve();
    if (inflight) return inflight;
    clearTimer();
    const run: Promise<void> = attempt(reason).then((settle) => {
      if (inflight === run) inflight = undefined;
      settle();
      notify();
    });
    inflight = run;
    notify();
    return run;
  }

  function enterRevoked(cause: unknown, announce: boolean): void {
    if (revoked || disposed) return;
    revoked = true;
    held = undefined;
    published = undefined;
    lastError = cause;
    clearTimer();
    if (expiryTimer !== undefined) timers.clearTimeout(expiryTimer);
    expiryTimer = undefined;
    inflightController?.abort();
    settleWaiters({ error: new TokenRevokedError({ cause }) });
    if (announce) crossTab?.publish({ kind: "revoked" });
    notify();
  }

  function onCrossTabMessage(message: CrossTabMessage): void {
    if (disposed || revoked) return;
    if (message.kind === "revoked") {
      enterRevoked(new TokenRevokedError(), false);
      return;
    }
    if (offerToken(message.response, message.expiresOnLocal, message.clockSkewMs)) notify();
  }

  /** What this tab answers another tab that asks before fetching: its best usable token. */
  function shareable(): SharedTokenRecord | undefined {
    if (disposed || revoked) return undefined;
    let best: HeldToken | undefined;
    for (const candidate of [held, published]) {
      if (!usable(candidate) || forcedTokens.has(candidate.response.token)) continue;
      if (!best || candidate.expiresOnLocal > best.expiresOnLocal) best = candidate;
    }
    return best && { response: best.response, expiresOnLocal: best.expiresOnLocal, clockSkewMs };
  }

  /** Adopts another tab's token if it beats the held one (usable, later expiry). */
  function offerToken(response: TokenResponse, expiresOnLocal: number, skewMs: number): boolean {
    // Never take back a token ACS already refused (401), nor the one we hold.
    if (forcedTokens.has(response.token) || response.token === held?.response.token) return false;
    if (held && !held.invalidated && expiresOnLocal <= held.expiresOnLocal) return false;
    if (expiresOnLocal - marginMs <= now()) return false;
    clockSkewMs = skewMs;
    adopt({
      response,
      expiresOnLocal,
      refreshAtLocal: refreshAtFor(expiresOnLocal, now()),
      invalidated: false,
    });
    return true;
  }

  function waitForToken(
    abortSignal: CommunicationGetTokenOptions["abortSignal"],
  ): Promise<AccessToken> {
    return new Promise<AccessToken>((resolve, reject) => {
      if (abortSignal?.aborted) {
        reject(new TokenWaitAbortedError());
        return;
      }
      const cleanup = () => {
        waiters.delete(waiter);
        timers.clearTimeout(waitTimer);
        abortSignal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter = {
        resolve: (token) => {
          cleanup();
          resolve(token);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      };
      const onAbort = () => waiter.reject(new TokenWaitAbortedError());
      const waitTimer = timers.setTimeout(
        () => waiter.reject(new TokenUnavailableError(maxWaitMs, { cause: lastError })),
        maxWaitMs,
      );
      abortSignal?.addEventListener("abort", onAbort, { once: true });
      waiters.add(waiter);
    });
  }

  function rejectIfClosed(): Promise<never> | undefined {
    if (disposed) return Promise.reject(new CredentialDisposedError());
    if (revoked) return Promise.reject(new TokenRevokedError({ cause: lastError }));
    return undefined;
  }

  return {
    getToken(tokenOptions?: CommunicationGetTokenOptions): Promise<AccessToken> {
      const closed = rejectIfClosed();
      if (closed) return closed;
      if (usable(held)) return Promise.resolve(toAccessToken(held));
      const waiting = waitForToken(tokenOptions?.abortSignal);
      // Respect a running backoff; otherwise (first call, or a refresh timer that a sleeping
      // device never fired) fetch now.
      if (!inflight && timer?.kind !== "retry") void startFetch(held ? "refresh" : "initial");
      return waiting;
    },

    forceRefresh(staleToken?: string): Promise<AccessToken> {
      const closed = rejectIfClosed();
      if (closed) return closed;
      const stale = staleToken ?? held?.response.token;
      if (usable(held) && held.response.token !== stale)
        return Promise.resolve(toAccessToken(held));
      const waiting = waitForToken(undefined);
      if (held && held.response.token === stale) held.invalidated = true;
      // Once per token: a second 401 for the same token waits for the scheduled retry.
      if (stale === undefined || !forcedTokens.has(stale)) {
        if (stale !== undefined) forcedTokens.add(stale);
        void startFetch("forced");
      } else if (!inflight && timer?.kind !== "retry") {
        void startFetch("refresh");
      }
      notify();
      return waiting;
    },

    markRevoked(cause?: unknown): void {
      enterRevoked(cause ?? new TokenRevokedError(), true);
    },

    getSnapshot(): CredentialSnapshot {
      const next = computeSnapshot();
      if (!sameSnapshot(next, snapshot)) snapshot = next;
      return snapshot;
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    get current() {
      return held?.response;
    },

    dispose(): void {
      if (disposed) return;
      disposed = true;
      clearTimer();
      if (expiryTimer !== undefined) timers.clearTimeout(expiryTimer);
      expiryTimer = undefined;
      inflightController?.abort();
      settleWaiters({ error: new CredentialDisposedError() });
      unsubscribeCrossTab?.();
      stopAnswering?.();
      held = undefined;
      published = undefined;
      if (ownsCrossTab) crossTab?.close();
      listeners.clear();
    },
  };
}
