import type {
  CommunicationGetTokenOptions,
  CommunicationTokenCredential,
} from "@azure/communication-common";
import type { AccessToken } from "@azure/core-auth";
import type { TokenResponse, TokenScope } from "@acs-stack/acs-server/contract";
import type { CrossTabCoordinator } from "./cross-tab";

/** Output of `acs.token.issue` / `acs.token.refresh`: the server's type, from the wire contract. */
export type { TokenResponse };

/** Why a token is fetched: map "initial" to `acs.token.issue`, the others to `acs.token.refresh`. */
export type TokenFetchReason = "initial" | "refresh" | "forced";

export type FetchToken = (
  reason: TokenFetchReason,
  options: { signal: AbortSignal },
) => Promise<TokenResponse>;

export type CredentialStatus =
  /** A token is held and nothing is wrong. */
  | "valid"
  /** A fetch is in flight. */
  | "refreshing"
  /** The token is still valid but refreshing it fails; retries are scheduled. */
  | "expiring"
  /** No valid token and no fetch is going on (before the first `getToken`, or after expiry). */
  | "expired"
  /** The server refused further tokens: sign in again. Terminal. */
  | "revoked"
  /** No valid token and the last fetch failed; retries are scheduled. */
  | "error";

export interface CredentialSnapshot {
  readonly status: CredentialStatus;
  /** Expiry of the held token on the local clock (skew-corrected), if any. */
  readonly expiresOn: Date | undefined;
  readonly scopes: readonly TokenScope[];
  readonly acsUserId: string | undefined;
  readonly endpoint: string | undefined;
  readonly emulator: boolean | undefined;
  readonly lastError: unknown;
  /** Server clock minus local clock, ms (positive: the local clock is behind). */
  readonly clockSkewMs: number;
  /** Completed successful fetches (including tokens adopted from other tabs: not counted). */
  readonly fetchCount: number;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AcsTokenCredentialOptions {
  fetchToken: FetchToken;
  /** Wall clock in ms. Default `Date.now`. */
  now?: () => number;
  /** Uniform [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Default: the global timers, looked up at call time (so fake timers apply). */
  timers?: Timers;
  /** Proactive refresh at a uniformly random fraction of the lifetime in [min, max]. Default [0.5, 0.8]. */
  refreshFraction?: readonly [min: number, max: number];
  /** Abort a fetch after this long. Default 15 000. */
  fetchTimeoutMs?: number;
  /** Capped exponential backoff with full jitter between failed fetches. Default { 1 000, 60 000 }. */
  backoff?: { initialMs: number; maxMs: number };
  /** A token with less than this left is not handed out. Default 5 000. */
  expiryMarginMs?: number;
  /** How long a `getToken` without a valid token waits for the refresher. Default 30 000. */
  maxWaitMs?: number;
  /** Which fetch failures mean "revoked" (no retries). Default: the contract's REVOKED_ERROR_CODES. */
  isRevokedError?: (error: unknown) => boolean;
  /** Cross-tab coordination. "auto" (default) uses BroadcastChannel + Web Locks in a browser, nothing elsewhere. */
  crossTab?: CrossTabCoordinator | "auto" | false;
  /** Channel/lock name for "auto" cross-tab; use one per signed-in user. Default "acs-token". */
  crossTabName?: string;
}

export interface AcsTokenCredential extends CommunicationTokenCredential {
  getToken(options?: CommunicationGetTokenOptions): Promise<AccessToken>;
  /**
   * ACS answered 401 for `staleToken`: fetch a new token (once per token; concurrent callers share it).
   * If the held token already differs from `staleToken`, resolves with the held one without fetching.
   */
  forceRefresh(staleToken?: string): Promise<AccessToken>;
  /** The server revoked the tokens (e.g. after `acs.token.revoke`): enter `revoked`. */
  markRevoked(cause?: unknown): void;
  /** A bound function (safe to pass around, e.g. to useSyncExternalStore). */
  getSnapshot: () => CredentialSnapshot;
  /** Called on every snapshot change; returns the unsubscribe function. */
  subscribe: (listener: (snapshot: CredentialSnapshot) => void) => () => void;
  /** The full response of the last fetch (or adopted token). */
  readonly current: TokenResponse | undefined;
  dispose(): void;
}
