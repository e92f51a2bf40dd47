// The credential's side of cross-tab sharing (cross-tab.ts is the transport): which coordinator to
// use, what this tab answers other tabs that ask before fetching, and closing what it opened.
import { detectBrowserCrossTab } from "./cross-tab";
import type { CrossTabCoordinator, CrossTabMessage, SharedTokenRecord } from "./cross-tab";
import type { HeldToken } from "./held-token";
import type { AcsTokenCredentialOptions } from "./types";

export interface CrossTabHandlers {
  /** Another tab fetched a token or saw it revoked. */
  onMessage(message: CrossTabMessage): void;
  /** What this tab answers another tab that asks (`collectPeerTokens`). */
  shareable(): SharedTokenRecord | undefined;
}

/**
 * The token worth sharing among `candidates`: usable, not refused by ACS, expiring last.
 * @param shareable whether one candidate may be handed out
 */
export function bestShareable(
  candidates: readonly (HeldToken | undefined)[],
  shareable: (token: HeldToken | undefined) => token is HeldToken,
  clockSkewMs: number,
): SharedTokenRecord | undefined {
  let best: HeldToken | undefined;
  for (const candidate of candidates) {
    if (!shareable(candidate)) continue;
    if (!best || candidate.expiresOnLocal > best.expiresOnLocal) best = candidate;
  }
  return best && { response: best.response, expiresOnLocal: best.expiresOnLocal, clockSkewMs };
}

export class CrossTabSharing {
  private readonly coordinator: CrossTabCoordinator | undefined;
  /** "auto" created the coordinator, so closing it is ours to do. */
  private readonly owned: boolean;
  private readonly unsubscribe: (() => void) | undefined;
  private readonly stopAnswering: (() => void) | undefined;

  constructor(
    options: Pick<AcsTokenCredentialOptions, "crossTab" | "crossTabName">,
    handlers: CrossTabHandlers,
  ) {
    const requested = options.crossTab ?? "auto";
    this.owned = requested === "auto";
    this.coordinator =
      requested === "auto"
        ? detectBrowserCrossTab(options.crossTabName ?? "acs-token", {
            // Answer other tabs' requests only under a per-user name: the default name may be
            // shared by tabs of different users.
            askPeers: options.crossTabName !== undefined,
          })
        : requested === false
          ? undefined
          : requested;
    this.unsubscribe = this.coordinator?.subscribe((message) => handlers.onMessage(message));
    this.stopAnswering = this.coordinator?.answerWith?.(() => handlers.shareable());
  }

  /** Runs `fn` under the cross-tab refresh lock (at once when not sharing). */
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.coordinator ? this.coordinator.withLock(fn) : fn();
  }

  /** The other tabs' best token (undefined when not sharing); call it while holding the lock. */
  collectPeerTokens(): Promise<SharedTokenRecord | undefined> | undefined {
    return this.coordinator?.collectPeerTokens?.();
  }

  /** Announces a new token; call it while still holding the lock. */
  publishToken(record: SharedTokenRecord): void {
    this.coordinator?.publish({ kind: "token", ...record });
  }

  publishRevoked(): void {
    this.coordinator?.publish({ kind: "revoked" });
  }

  close(): void {
    this.unsubscribe?.();
    this.stopAnswering?.();
    if (this.owned) this.coordinator?.close();
  }
}
