// A CommunicationTokenCredential that never drops a request: proactive jittered refresh,
// single-flight fetches, capped exponential backoff while the old token is still served,
// per-fetch timeouts, forced refresh on 401, clock-skew correction, cross-tab sharing, and
// no promise of its own that can reject unhandled. This file is the state machine; its parts are
// the refresh scheduler (refresh-scheduler.ts), the waiting requests (token-waiters.ts), cross-tab
// sharing (cross-tab-sharing.ts), the held token (held-token.ts), the fetch with its timeout
// (fetch-with-timeout.ts) and the observable snapshot (credential-snapshot.ts).
import type { CommunicationGetTokenOptions } from "@azure/communication-common";
import type { AccessToken } from "@azure/core-auth";
import { backoffDelay } from "./backoff";
import { SnapshotPublisher } from "./credential-snapshot";
import type { CrossTabMessage } from "./cross-tab";
import { CrossTabSharing, bestShareable } from "./cross-tab-sharing";
import { CredentialDisposedError, TokenRevokedError, isRevokedTrpcError } from "./errors";
import { fetchWithTimeout } from "./fetch-with-timeout";
import { removeLegacyTokenEntries } from "./forget-shared-token";
import { isUsable, parseTokenResponse, toAccessToken } from "./held-token";
import type { HeldToken } from "./held-token";
import { RefreshScheduler } from "./refresh-scheduler";
import { TokenWaiters } from "./token-waiters";
import type {
  AcsTokenCredential,
  AcsTokenCredentialOptions,
  CredentialSnapshot,
  CredentialStatus,
  TokenFetchReason,
  TokenResponse,
  Timers,
} from "./types";

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createAcsTokenCredential(options: AcsTokenCredentialOptions): AcsTokenCredential {
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const timers = options.timers ?? defaultTimers;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 15_000;
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
  const marginMs = options.expiryMarginMs ?? 5_000;
  const isRevoked = options.isRevokedError ?? isRevokedTrpcError;
  const scheduler = new RefreshScheduler({
    timers,
    now,
    random,
    refreshFraction: options.refreshFraction ?? [0.5, 0.8],
    onDue: () => void startFetch(held ? "refresh" : "initial"),
    // Flip the status to expired/error when the token stops being usable.
    onExpired: () => snapshots.notify(),
  });

  // Earlier versions kept the token in localStorage: an upgrade leaves nothing of it behind.
  removeLegacyTokenEntries();

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
  /** Tokens ACS refused (401): never adopted again, whichever tab offers them. */
  const forcedTokens = new Set<string>();
  const waiters = new TokenWaiters(timers, options.maxWaitMs ?? 30_000, () => lastError);
  const snapshots = new SnapshotPublisher(computeSnapshot);
  const crossTab = new CrossTabSharing(options, {
    onMessage: onCrossTabMessage,
    shareable: () =>
      disposed || revoked
        ? undefined
        : bestShareable(
            [held, published],
            (t): t is HeldToken => usable(t) && !forcedTokens.has(t.response.token),
            clockSkewMs,
          ),
  });

  function usable(token: HeldToken | undefined): token is HeldToken {
    return isUsable(token, marginMs, now());
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

  function adopt(token: HeldToken): void {
    held = token;
    published = undefined;
    consecutiveFailures = 0;
    lastError = undefined;
    scheduler.schedule(token.refreshAtLocal, "refresh");
    scheduler.noticeExpiry(token.expiresOnLocal - marginMs);
    waiters.settle({ token: toAccessToken(token) });
  }

  async function fetchOnce(reason: TokenFetchReason): Promise<HeldToken> {
    const controller = new AbortController();
    inflightController = controller;
    const startedLocal = now();
    try {
      const response = await fetchWithTimeout(
        () => options.fetchToken(reason, { signal: controller.signal }),
        controller,
        timers,
        fetchTimeoutMs,
      );
      const parsed = parseTokenResponse(
        response,
        { startedLocal, endedLocal: now() },
        marginMs,
        (expiresOnLocal, fromLocal) => scheduler.refreshAt(expiresOnLocal, fromLocal),
      );
      clockSkewMs = parsed.clockSkewMs;
      return parsed.token;
    } finally {
      inflightController = undefined;
    }
  }

  /** One fetch attempt. Never rejects; returns what to do once `inflight` is cleared. */
  async function attempt(reason: TokenFetchReason): Promise<() => void> {
    const tokenBefore = held?.response.token;
    try {
      const fresh = await crossTab.withLock(lockedFetch);
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
        scheduler.schedule(now() + backoffDelay(consecutiveFailures, backoff, random), "retry");
      };
    }

    async function lockedFetch(): Promise<HeldToken | undefined> {
      if (disposed || revoked) return undefined;
      // Another tab may have fetched while we waited for the lock. Its channel message may not
      // have arrived yet (lock grant and delivery are unordered), so ask every live tab for its
      // token: the previous holder answers with the one it set aside before releasing the lock.
      const latest = await crossTab.collectPeerTokens();
      if (disposed || revoked) return undefined;
      if (latest) offerToken(latest.response, latest.expiresOnLocal, latest.clockSkewMs);
      if (usable(held) && held.response.token !== tokenBefore) return undefined;
      const fresh = await fetchOnce(reason);
      // Set aside and announce while still holding the lock, so the next tab in line gets it
      // when it asks, before fetching.
      published = fresh;
      crossTab.publishToken({
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
    scheduler.cancel();
    const run: Promise<void> = attempt(reason).then((settle) => {
      if (inflight === run) inflight = undefined;
      settle();
      snapshots.notify();
    });
    inflight = run;
    snapshots.notify();
    return run;
  }

  function enterRevoked(cause: unknown, announce: boolean): void {
    if (revoked || disposed) return;
    revoked = true;
    held = undefined;
    published = undefined;
    lastError = cause;
    scheduler.stop();
    inflightController?.abort();
    waiters.settle({ error: new TokenRevokedError({ cause }) });
    if (announce) crossTab.publishRevoked();
    snapshots.notify();
  }

  function onCrossTabMessage(message: CrossTabMessage): void {
    if (disposed || revoked) return;
    if (message.kind === "revoked") {
      enterRevoked(new TokenRevokedError(), false);
      return;
    }
    if (offerToken(message.response, message.expiresOnLocal, message.clockSkewMs))
      snapshots.notify();
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
      refreshAtLocal: scheduler.refreshAt(expiresOnLocal, now()),
      invalidated: false,
    });
    return true;
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
      const waiting = waiters.wait(tokenOptions?.abortSignal);
      // Respect a running backoff; otherwise (first call, or a refresh timer that a sleeping
      // device never fired) fetch now.
      if (!inflight && scheduler.pending !== "retry") void startFetch(held ? "refresh" : "initial");
      return waiting;
    },

    forceRefresh(staleToken?: string): Promise<AccessToken> {
      const closed = rejectIfClosed();
      if (closed) return closed;
      const stale = staleToken ?? held?.response.token;
      if (usable(held) && held.response.token !== stale)
        return Promise.resolve(toAccessToken(held));
      const waiting = waiters.wait(undefined);
      if (held && held.response.token === stale) held.invalidated = true;
      // Once per token: a second 401 for the same token waits for the scheduled retry.
      if (stale === undefined || !forcedTokens.has(stale)) {
        if (stale !== undefined) forcedTokens.add(stale);
        void startFetch("forced");
      } else if (!inflight && scheduler.pending !== "retry") {
        void startFetch("refresh");
      }
      snapshots.notify();
      return waiting;
    },

    markRevoked(cause?: unknown): void {
      enterRevoked(cause ?? new TokenRevokedError(), true);
    },

    getSnapshot: () => snapshots.get(),

    subscribe: (listener) => snapshots.subscribe(listener),

    get current() {
      return held?.response;
    },

    dispose(): void {
      if (disposed) return;
      disposed = true;
      scheduler.stop();
      inflightController?.abort();
      waiters.settle({ error: new CredentialDisposedError() });
      held = undefined;
      published = undefined;
      crossTab.close();
      snapshots.clear();
    },
  };
}
