// Cross-tab token sharing: one tab refreshes under a Web Lock and announces the result on a
// BroadcastChannel; the other tabs adopt it instead of fetching, so one browser makes about one
// refresh call per token lifetime. Behind an interface so Node tests can drive it.
import type { TokenResponse } from "./types";

export type CrossTabMessage =
  | { kind: "token"; response: TokenResponse; expiresOnLocal: number; clockSkewMs: number }
  | { kind: "revoked" };

export interface CrossTabCoordinator {
  /** Runs `fn` while holding the cross-tab refresh lock. */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
  publish(message: CrossTabMessage): void;
  subscribe(listener: (message: CrossTabMessage) => void): () => void;
  close(): void;
}

/** The part of the Web Locks API we use (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  removeEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface BroadcastCrossTabOptions {
  /** Channel and lock name; one per signed-in user, e.g. `acs-token:<userId>`. */
  name: string;
  /** Web Locks; without it `withLock` runs `fn` directly (tabs may then both refresh, still correct). */
  locks?: LockManagerLike;
  /** Default: the global `BroadcastChannel`. */
  createChannel?: (name: string) => ChannelLike;
}

function isCrossTabMessage(value: unknown): value is CrossTabMessage {
  if (typeof value !== "object" || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  if (kind === "revoked") return true;
  if (kind !== "token") return false;
  const m = value as { response?: { token?: unknown }; expiresOnLocal?: unknown };
  return typeof m.response?.token === "string" && typeof m.expiresOnLocal === "number";
}

export function createBroadcastCrossTab(options: BroadcastCrossTabOptions): CrossTabCoordinator {
  const createChannel = options.createChannel ?? ((name: string) => new BroadcastChannel(name));
  const channel = createChannel(options.name);
  // A second instance of the same channel: what it posts reaches `channel` after anything another
  // tab posted earlier, so echoing a probe through it drains announcements already under way.
  const prober = createChannel(options.name);
  const probes = new Map<string, () => void>();
  const listeners = new Set<(message: CrossTabMessage) => void>();
  const onMessage = (event: MessageEvent) => {
    const data: unknown = event.data;
    if (typeof data === "object" && data !== null && (data as { kind?: unknown }).kind === "probe") {
      probes.get(String((data as { id?: unknown }).id))?.();
      return;
    }
    if (!isCrossTabMessage(data)) return;
    for (const listener of [...listeners]) listener(data);
  };
  channel.addEventListener("message", onMessage);

  function drainPending(): Promise<void> {
    return new Promise<void>((resolve) => {
      const id = `${Date.now()}-${Math.random()}`;
      const done = () => {
        probes.delete(id);
        clearTimeout(fallback);
        resolve();
      };
      // If the channel is broken or slow, do not hold the lock for long.
      const fallback = setTimeout(done, 250);
      probes.set(id, done);
      prober.postMessage({ kind: "probe", id });
    });
  }

  const locks = options.locks;
  return {
    withLock: (fn) =>
      locks
        ? locks.request(`${options.name}:refresh`, async () => {
            await drainPending();
            return fn();
          })
        : fn(),
    publish: (message) => channel.postMessage(message),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      listeners.clear();
      for (const done of [...probes.values()]) done();
      channel.removeEventListener("message", onMessage);
      channel.close();
      prober.close();
    },
  };
}

/**
 * BroadcastChannel + Web Locks when this is a browser that has both; otherwise undefined
 * (Node, old browsers, SSR). Evaluated lazily, never at import time.
 */
export function detectBrowserCrossTab(name: string): CrossTabCoordinator | undefined {
  if (typeof window === "undefined" || typeof BroadcastChannel === "undefined") return undefined;
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (!locks) return undefined;
  return createBroadcastCrossTab({ name, locks });
}
