// Cross-tab token sharing, in memory only: one tab fetches under a Web Lock and announces the
// token on a BroadcastChannel; the other tabs adopt it instead of fetching, so one browser makes
// one fetch per token lifetime. Nothing is written to any storage: a token never outlives the tabs
// that hold it. Behind an interface so Node tests can drive it.
//
// Why the next lock holder asks the other tabs: a lock grant and a channel delivery are separate
// tasks with no ordering between them (https://w3c.github.io/web-locks/), so the next holder may
// not have seen the previous holder's announcement yet. Instead of reading a shared store, it asks
// every other live tab for its token and waits for all their answers. The previous holder set its
// new token aside before releasing the lock, so its answer always carries it, whatever the
// delivery order. Live tabs are known without guessing: each holds the Web Lock
// `<name>:tab:<id>` for its life, and `navigator.locks.query()` lists them. A frozen tab cannot
// answer; it costs at most `replyTimeoutMs` of waiting (then the holder fetches). Alone, a tab
// fetches at once.
import type { Timers, TokenResponse } from "./types";

/** A token as tabs pass it around: the response plus its expiry on the (shared) machine clock. */
export interface SharedTokenRecord {
  response: TokenResponse;
  /** Expiry on the sending tab's clock (the same machine clock for every tab). */
  expiresOnLocal: number;
  clockSkewMs: number;
}

export type CrossTabMessage =
  /** A tab fetched a new token (pushed to every tab). */
  | ({ kind: "token" } & SharedTokenRecord)
  /** The server refused further tokens, or the user signed out: every tab drops its token. */
  | { kind: "revoked" };

/** The coordinator's own request/answer messages; the credential never sees them. */
type PeerMessage =
  | { kind: "token-request"; requestId: string; from: string }
  | {
      kind: "token-answer";
      requestId: string;
      from: string;
      to: string;
      token?: SharedTokenRecord;
    };

export interface CrossTabCoordinator {
  /** Runs `fn` while holding the cross-tab refresh lock. */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
  /** Broadcasts to the other tabs. Publish a new token while still holding the lock. */
  publish(message: CrossTabMessage): void;
  /**
   * Asks every other live tab for its token and resolves with the one that expires last (or
   * undefined) once all have answered or `replyTimeoutMs` passed. Call it while holding the lock.
   */
  collectPeerTokens?(): Promise<SharedTokenRecord | undefined>;
  /** What this tab answers when another tab asks (`collectPeerTokens`); returns the undo. */
  answerWith?(provider: () => SharedTokenRecord | undefined): () => void;
  subscribe(listener: (message: CrossTabMessage) => void): () => void;
  close(): void;
}

/** The part of the Web Locks API we use (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
  /** Lists held locks; without it a tab cannot know its peers and fetches on its own. */
  query?(): Promise<{ held?: { name?: string }[] }>;
}

export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  removeEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** The part of the Web Storage API used to remove what earlier versions stored. */
export interface StorageLike {
  readonly length: number;
  key(index: number): string | null;
  removeItem(key: string): void;
}

export interface BroadcastCrossTabOptions {
  /** Channel and lock name; one per signed-in user, e.g. `acs-token:<userId>`. */
  name: string;
  /** Web Locks; without it `withLock` runs `fn` directly (tabs may then both fetch, still correct). */
  locks?: LockManagerLike;
  /** Default: the global `BroadcastChannel`. */
  createChannel?: (name: string) => ChannelLike;
  /**
   * Ask the other live tabs for their token before fetching (`collectPeerTokens`). Default true;
   * off under a name shared by different users. Needs `locks.query`.
   */
  askPeers?: boolean;
  /** How long to wait for a tab that does not answer (frozen, busy). Default 1 000 ms. */
  replyTimeoutMs?: number;
  /** Default: the global timers. */
  timers?: Timers;
  /** This tab's id (default: random). */
  tabId?: string;
}

/** The `localStorage` key under which earlier versions kept the token of `name` (removed now). */
export function sharedTokenKey(name: string): string {
  return `${name}:latest-token`;
}

function isTokenResponse(value: unknown): value is TokenResponse {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Partial<Record<keyof TokenResponse, unknown>>;
  return (
    typeof r.token === "string" &&
    typeof r.expiresOn === "string" &&
    typeof r.acsUserId === "string"
  );
}

function isSharedTokenRecord(value: unknown): value is SharedTokenRecord {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Partial<Record<keyof SharedTokenRecord, unknown>>;
  return (
    isTokenResponse(m.response) &&
    typeof m.expiresOnLocal === "number" &&
    typeof m.clockSkewMs === "number"
  );
}

function isCrossTabMessage(value: unknown): value is CrossTabMessage {
  if (typeof value !== "object" || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === "revoked" || (kind === "token" && isSharedTokenRecord(value));
}

function isPeerMessage(value: unknown): value is PeerMessage {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Partial<Record<"kind" | "requestId" | "from" | "to" | "token", unknown>>;
  if (typeof m.requestId !== "string" || typeof m.from !== "string") return false;
  if (m.kind === "token-request") return true;
  return (
    m.kind === "token-answer" &&
    typeof m.to === "string" &&
    (m.token === undefined || isSharedTokenRecord(m.token))
  );
}

function randomId(): string {
  return (
    globalThis.crypto?.randomUUID?.() ??
    `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
  );
}

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The later-expiring of two tokens. */
function later(
  a: SharedTokenRecord | undefined,
  b: SharedTokenRecord | undefined,
): SharedTokenRecord | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.expiresOnLocal > a.expiresOnLocal ? b : a;
}

export function createBroadcastCrossTab(options: BroadcastCrossTabOptions): CrossTabCoordinator {
  const createChannel = options.createChannel ?? ((name: string) => new BroadcastChannel(name));
  const channel = createChannel(options.name);
  const locks = options.locks;
  const timers = options.timers ?? defaultTimers;
  const replyTimeoutMs = options.replyTimeoutMs ?? 1_000;
  const tabId = options.tabId ?? randomId();
  const tabLockPrefix = `${options.name}:tab:`;
  const listeners = new Set<(message: CrossTabMessage) => void>();
  /** Requests of ours that wait for answers, by request id. */
  const collecting = new Map<string, { take(answer: PeerMessage): void; finish(): void }>();
  let provider: (() => SharedTokenRecord | undefined) | undefined;
  let closed = false;

  // Presence: hold `<name>:tab:<id>` until close. Lock requests are granted in the order they are
  // made, so this is held before this tab's first turn under the refresh lock.
  let leave: (() => void) | undefined;
  const askPeers = options.askPeers !== false && typeof locks?.query === "function";
  if (askPeers) {
    void locks
      .request(
        `${tabLockPrefix}${tabId}`,
        () =>
          new Promise<void>((resolve) => {
            leave = resolve;
            if (closed) resolve();
          }),
      )
      .catch(() => undefined);
  }

  const onMessage = (event: MessageEvent) => {
    if (closed) return;
    const data: unknown = event.data;
    if (isPeerMessage(data)) {
      if (data.kind === "token-request") {
        // Under a name different users may share, tokens are never handed out on request.
        if (!askPeers) return;
        const answer: PeerMessage = {
          kind: "token-answer",
          requestId: data.requestId,
          from: tabId,
          to: data.from,
        };
        const token = provider?.();
        channel.postMessage(token ? { ...answer, token } : answer);
      } else if (data.to === tabId) {
        collecting.get(data.requestId)?.take(data);
      }
      return;
    }
    if (!isCrossTabMessage(data)) return;
    for (const listener of [...listeners]) listener(data);
  };
  channel.addEventListener("message", onMessage);

  async function otherLiveTabs(): Promise<Set<string>> {
    try {
      const state = await locks!.query!();
      const tabs = new Set<string>();
      for (const lock of state.held ?? []) {
        const id = lock.name?.startsWith(tabLockPrefix)
          ? lock.name.slice(tabLockPrefix.length)
          : undefined;
        if (id !== undefined && id !== tabId) tabs.add(id);
      }
      return tabs;
    } catch {
      return new Set();
    }
  }

  async function collectPeerTokens(): Promise<SharedTokenRecord | undefined> {
    const waitingFor = await otherLiveTabs();
    if (waitingFor.size === 0 || closed) return undefined;
    const requestId = randomId();
    let best: SharedTokenRecord | undefined;
    return new Promise<SharedTokenRecord | undefined>((resolve) => {
      const finish = () => {
        collecting.delete(requestId);
        timers.clearTimeout(timeout);
        resolve(best);
      };
      const timeout = timers.setTimeout(finish, replyTimeoutMs);
      const take = (answer: PeerMessage) => {
        if (answer.kind !== "token-answer" || !waitingFor.delete(answer.from)) return;
        best = later(best, answer.token);
        if (waitingFor.size === 0) finish();
      };
      collecting.set(requestId, { take, finish });
      channel.postMessage({ kind: "token-request", requestId, from: tabId } satisfies PeerMessage);
    });
  }

  return {
    withLock: (fn) => (locks ? locks.request(`${options.name}:refresh`, fn) : fn()),
    publish: (message) => channel.postMessage(message),
    ...(askPeers && { collectPeerTokens }),
    answerWith: (next) => {
      provider = next;
      return () => {
        if (provider === next) provider = undefined;
      };
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      if (closed) return;
      closed = true;
      leave?.();
      listeners.clear();
      provider = undefined;
      // Our own pending requests end now, with what they have.
      for (const request of [...collecting.values()]) request.finish();
      channel.removeEventListener("message", onMessage);
      channel.close();
    },
  };
}

/**
 * BroadcastChannel + Web Locks when this is a browser that has both; otherwise undefined (Node,
 * old browsers, SSR). Evaluated lazily, never at import time. `askPeers: false` under a name that
 * different users share (tabs then still adopt pushed tokens, and may fetch twice in a race).
 */
export function detectBrowserCrossTab(
  name: string,
  options: { askPeers?: boolean } = {},
): CrossTabCoordinator | undefined {
  if (typeof window === "undefined" || typeof BroadcastChannel === "undefined") return undefined;
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (!locks) return undefined;
  return createBroadcastCrossTab({ name, locks, askPeers: options.askPeers });
}
