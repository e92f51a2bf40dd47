// In-memory stand-ins for the browser APIs Node 20 lacks (Web Locks, Web Storage), shared by the
// cross-tab tests. BroadcastChannel is Node's own.
import { vi } from "vitest";

export interface MemoryLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
  query(): Promise<{ held: { name: string }[]; pending: { name: string }[] }>;
}

/**
 * `navigator.locks` for one browser: exclusive locks granted in request order, and `query()`
 * listing the held and waiting ones, as the Web Locks API does.
 */
export function memoryLocks(): MemoryLocks {
  const tails = new Map<string, Promise<unknown>>();
  const held: string[] = [];
  const pending: string[] = [];
  const remove = (list: string[], name: string) => {
    const index = list.indexOf(name);
    if (index >= 0) list.splice(index, 1);
  };
  return {
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      pending.push(name);
      const run = async () => {
        remove(pending, name);
        held.push(name);
        try {
          return await callback();
        } finally {
          remove(held, name);
        }
      };
      const result = (tails.get(name) ?? Promise.resolve()).then(run, run);
      tails.set(
        name,
        result.catch(() => undefined),
      );
      return result;
    },
    query: () =>
      Promise.resolve({
        held: held.map((name) => ({ name })),
        pending: pending.map((name) => ({ name })),
      }),
  };
}

/** A `Storage` (localStorage / sessionStorage) kept in a Map. */
export function memoryStorage(): Storage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get length() {
      return map.size;
    },
    key: (index) => [...map.keys()][index] ?? null,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, String(value)),
    removeItem: (key) => void map.delete(key),
    clear: () => map.clear(),
  };
}

export interface BrowserGlobals {
  localStorage: ReturnType<typeof memoryStorage>;
  sessionStorage: ReturnType<typeof memoryStorage>;
  locks: MemoryLocks;
  /** Every value written to either Web Storage, in order (a later removal does not erase it). */
  writes: string[];
}

/**
 * Makes this Node process look like one browser tab to `detectBrowserCrossTab`: `window`,
 * `navigator.locks`, `localStorage` and `sessionStorage` (BroadcastChannel is Node's). Undo with
 * `vi.unstubAllGlobals()`.
 */
export function stubBrowserGlobals(): BrowserGlobals {
  const writes: string[] = [];
  const recording = () => {
    const storage = memoryStorage();
    const setItem = storage.setItem.bind(storage);
    storage.setItem = (key, value) => {
      writes.push(`${key}=${value}`);
      setItem(key, value);
    };
    return storage;
  };
  const globals: BrowserGlobals = {
    localStorage: recording(),
    sessionStorage: recording(),
    locks: memoryLocks(),
    writes,
  };
  vi.stubGlobal("window", globalThis);
  vi.stubGlobal("navigator", { locks: globals.locks });
  vi.stubGlobal("localStorage", globals.localStorage);
  vi.stubGlobal("sessionStorage", globals.sessionStorage);
  return globals;
}
