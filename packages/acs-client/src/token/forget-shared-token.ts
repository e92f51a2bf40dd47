// Sign-out's part of cross-tab sharing: tell every tab to drop the token, and remove what earlier
// versions left in localStorage. Small and free of the coordinator, so the pages' initial JavaScript
// can carry it while the credential (credential.ts, cross-tab.ts) loads on demand.
import type { ChannelLike, CrossTabMessage, StorageLike } from "./cross-tab";

/** Matches what earlier versions stored: `acs-token…:latest-token` and their storage probe. */
const LEGACY_KEY = /^acs-token(:.*)?:(latest-token|probe)$/;

/** `localStorage` if this environment has a working one (it throws in some privacy modes). */
function defaultStorage(): StorageLike | undefined {
  try {
    return (globalThis as { localStorage?: StorageLike }).localStorage;
  } catch {
    return undefined;
  }
}

/**
 * Removes every token entry that versions which kept the token in `localStorage` left behind
 * (`acs-token…:latest-token`), so an upgrade leaves nothing. The credential calls it when it starts.
 */
export function removeLegacyTokenEntries(
  storage: StorageLike | undefined = defaultStorage(),
): void {
  if (!storage) return;
  try {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key !== null && LEGACY_KEY.test(key)) keys.push(key);
    }
    for (const key of keys) storage.removeItem(key);
  } catch {
    // A blocked store holds nothing of ours either.
  }
}

/**
 * Sign-out: every tab of this browser drops the token of `name` from memory (a `revoked`
 * broadcast, which each credential under that name obeys), and any entry an earlier version stored
 * is removed. A no-op where there is no BroadcastChannel (Node, SSR).
 */
export function forgetSharedToken(
  name: string,
  deps: { createChannel?: (name: string) => ChannelLike; storage?: StorageLike } = {},
): void {
  removeLegacyTokenEntries(deps.storage);
  const createChannel =
    deps.createChannel ??
    (typeof BroadcastChannel === "undefined"
      ? undefined
      : (channelName: string) => new BroadcastChannel(channelName));
  if (!createChannel) return;
  // A channel of its own: BroadcastChannel delivers to every other object of the name, this
  // tab's credential included. Messages posted before close() are still delivered.
  const channel = createChannel(name);
  channel.postMessage({ kind: "revoked" } satisfies CrossTabMessage);
  channel.close();
}
