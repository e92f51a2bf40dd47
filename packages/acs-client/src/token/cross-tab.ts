// Cross-tab token sharing: one tab fetches under a Web Lock, writes the result to a shared store
// and announces it on a BroadcastChannel; the other tabs adopt it instead of fetching, so one
// browser makes about one fetch per token lifetime. Behind an interface so Node tests can drive it.
//
// Why a store as well as the channel: a lock grant and a channel delivery are separate tasks with
// no ordering between them, so the next lock holder may not have seen the holder's announcement
// yet. The store is written BEFORE the lock is released and read synchronously by the next holder,
// so it never depends on delivery order. The channel still pushes new tokens and revocation to
// tabs that are not waiting for the lock.
import type { TokenResponse } from "./types";

export type CrossTabMessage =
  | { kind: "token"; response: TokenResponse; expiresOnLocal: number; clockSkewMs: number }
  | { kind: "revoked" };

/** The last token published by a lock holder, as kept in the shared store. */
export interface SharedTokenRecord {
  response: TokenResponse;
  /** Expiry on the publishing tab's clock (the same machine clock for every tab). */
  expiresOnLocal: number;
  clockSkewMs: number;
  /** `Date.now()` when it was written. */
  publishedAt: number;
  /** Grows by one with every write, so a reader can tell records apart. */
  generation: number;
}

export interface CrossTabCoordinator {
  /** Runs `fn` while holding the cross-tab refresh lock. */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * `token`: written to the shared store (synchronously) and broadcast; publish it while holding
   * the lock. `revoked`: clears the shared store and is broadcast.
   */
  publish(message: CrossTabMessage): void;
  /** The last published token, read synchronously (call it while holding the lock). */
  readLatest?(): SharedTokenRecord | undefined;
  subscribe(listener: (message: CrossTabMessage) => void): () => void;
  close(): void;
}

/** The part of the Web Locks API we use (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** The part of the Web Storage API we use (`localStorage`); synchronous by design. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  removeEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface BroadcastCrossTabOptions {
  /** Channel, lock and store-key name; one per signed-in user, e.g. `acs-token:<userId>`. */
  name: string;
  /** Web Locks; without it `withLock` runs `fn` directly (tabs may then both fetch, still correct). */
  locks?: LockManagerLike;
  /** Default: the global `BroadcastChannel`. */
  createChannel?: (name: string) => ChannelLike;
  /**
   * Where the last token is kept for the next lock holder. Default: `localStorage` when it exists
   * and works; without a store tabs may again both fetch (still correct).
   */
  storage?: StorageLike;
}

/** The shared-store key for a cross-tab name. */
export function sharedTokenKey(name: string): string {
  return `${name}:latest-token`;
}

function isTokenResponse(value: unknown): value is TokenResponse {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Partial<Record<keyof TokenResponse, unknown>>;
  return typeof r.token === "string" && typeof r.expiresOn === "string" && typeof r.acsUserId === "string";
}

function isCrossTabMessage(value: unknown): value is CrossTabMessage {
  if (typeof value !== "object" || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  if (kind === "revoked") return true;
  if (kind !== "token") return false;
  const m = value as { response?: unknown; expiresOnLocal?: unknown };
  return isTokenResponse(m.response) && typeof m.expiresOnLocal === "number";
}

function parseRecord(raw: string | null): SharedTokenRecord | undefined {
  if (raw === null) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Record<keyof SharedTokenRecord, unknown>>;
    if (
      isTokenResponse(value.response) &&
      typeof value.expiresOnLocal === "number" &&
      typeof value.clockSkewMs === "number" &&
      typeof value.publishedAt === "number" &&
      typeof value.generation === "number"
    ) {
      return value as SharedTokenRecord;
    }
  } catch {
    // Garbage in the store (another version, a user edit): ignore it, the next write replaces it.
  }
  return undefined;
}

/** `localStorage` if this environment has a working one (it throws in some privacy modes). */
function defaultStorage(): StorageLike | undefined {
  try {
    const storage = (globalThis as { localStorage?: StorageLike }).localStorage;
    if (!storage) return undefined;
    const probe = "acs-token:probe";
    storage.setItem(probe, "1");
    storage.removeItem(probe);
    return storage;
  } catch {
    return undefined;
  }
}

/** A store that keeps nothing: tabs then coordinate through the channel only. */
const noStorage: StorageLike = {
  getItem: () => null,
  setItem: () => undefined,
  removeItem: () => undefined,
};

/** Runs a store operation; a full or blocked store only costs a possible extra fetch. */
function guarded<T>(operation: () => T): T | undefined {
  try {
    return operation();
  } catch {
    return undefined;
  }
}

export function createBroadcastCrossTab(options: BroadcastCrossTabOptions): CrossTabCoordinator {
  const createChannel = options.createChannel ?? ((name: string) => new BroadcastChannel(name));
  const channel = createChannel(options.name);
  // What is stored is an ACS user token: short-lived, scoped to this user, and already held in JS
  // memory of every tab; nothing server-side secret ever goes here. The key carries the
  // per-user cross-tab name, and the entry is removed on revocation (see forgetSharedToken).
  const storage = options.storage ?? defaultStorage();
  const key = sharedTokenKey(options.name);
  const listeners = new Set<(message: CrossTabMessage) => void>();
  const onMessage = (event: MessageEvent) => {
    const data: unknown = event.data;
    if (!isCrossTabMessage(data)) return;
    for (const listener of [...listeners]) listener(data);
  };
  channel.addEventListener("message", onMessage);

  function readLatest(): SharedTokenRecord | undefined {
    return storage ? parseRecord(guarded(() => storage.getItem(key)) ?? null) : undefined;
  }

  const locks = options.locks;
  return {
    withLock: (fn) => (locks ? locks.request(`${options.name}:refresh`, fn) : fn()),
    publish: (message) => {
      if (storage) {
        if (message.kind === "token") {
          const record: SharedTokenRecord = {
            response: message.response,
            expiresOnLocal: message.expiresOnLocal,
            clockSkewMs: message.clockSkewMs,
            publishedAt: Date.now(),
            generation: (readLatest()?.generation ?? 0) + 1,
          };
          guarded(() => storage.setItem(key, JSON.stringify(record)));
        } else {
          guarded(() => storage.removeItem(key));
        }
      }
      channel.postMessage(message);
    },
    readLatest,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      listeners.clear();
      channel.removeEventListener("message", onMessage);
      channel.close();
    },
  };
}

/**
 * Removes the shared token of `name` (call it on sign-out: revocation already does). Without
 * `storage`, uses `localStorage` when there is one; a no-op elsewhere.
 */
export function forgetSharedToken(name: string, storage: StorageLike | undefined = defaultStorage()): void {
  if (storage) guarded(() => storage.removeItem(sharedTokenKey(name)));
}

/**
 * BroadcastChannel + Web Locks (+ localStorage when usable) when this is a browser that has the
 * first two; otherwise undefined (Node, old browsers, SSR). Evaluated lazily, never at import time.
 */
export function detectBrowserCrossTab(
  name: string,
  options: { storage?: boolean } = {},
): CrossTabCoordinator | undefined {
  if (typeof window === "undefined" || typeof BroadcastChannel === "undefined") return undefined;
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (!locks) return undefined;
  return createBroadcastCrossTab({ name, locks, storage: options.storage === false ? noStorage : undefined });
}
