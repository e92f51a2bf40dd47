// What every event source (emulator stream, ACS realtime, polling) gets from the session.
import { CredentialDisposedError, TokenRevokedError } from "../../token/errors";
import type { ConnectionStateTracker } from "./connection-state";
import type { SessionLifetime } from "./session-lifetime";

/** One event's payload as the chat SDK (and the emulator's stream) shapes it. */
export type SdkEventData = Record<string, unknown>;

export interface EventLoopContext {
  readonly lifetime: SessionLifetime;
  readonly connection: ConnectionStateTracker;
  /** Applies one event named as the SDK names it. */
  readonly dispatch: (kind: string, data: SdkEventData) => void;
  /**
   * Re-syncs every open thread (after a (re)connect, or as a poll); false when one failed.
   * Rejects only with a stop error.
   */
  readonly syncOpenThreads: (members: boolean) => Promise<boolean>;
  /** Backoff before attempt number `attempt` (full jitter). */
  readonly retryDelay: (attempt: number) => number;
}

/** The credential is revoked or disposed: no retry can succeed, so the loop ends. */
export function isStopError(error: unknown): boolean {
  return error instanceof TokenRevokedError || error instanceof CredentialDisposedError;
}
