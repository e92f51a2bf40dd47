// The session's connection state, derived from two facts the event sources report: is push (the
// emulator's event stream or ACS realtime) connected, and did the last poll succeed.
import type { ConnectionState, EventSourceKind } from "../types";

export class ConnectionStateTracker {
  private pushConnected = false;
  private lastPollOk: boolean | undefined;
  private state: ConnectionState;
  private readonly listeners = new Set<(state: ConnectionState) => void>();

  constructor(private readonly eventSource: Exclude<EventSourceKind, "auto">) {
    this.state = eventSource === "polling" ? "polling" : "reconnecting";
  }

  get isPushConnected(): boolean {
    return this.pushConnected;
  }

  /** Bound, so it can be handed out as is (useSyncExternalStore). */
  readonly get = (): ConnectionState => this.state;

  readonly subscribe = (listener: (state: ConnectionState) => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Push connected or lost; `pollOk` also records that a (re)connect proved the service reachable. */
  setPushConnected(connected: boolean, pollOk?: boolean): void {
    this.pushConnected = connected;
    if (pollOk !== undefined) this.lastPollOk = pollOk;
    this.update();
  }

  setPollOk(ok: boolean): void {
    this.lastPollOk = ok;
    this.update();
  }

  clear(): void {
    this.listeners.clear();
  }

  private update(): void {
    const next: ConnectionState = this.pushConnected
      ? "live"
      : this.lastPollOk === false
        ? "offline"
        : this.eventSource === "polling"
          ? "polling"
          : "reconnecting";
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.listeners]) {
      try {
        listener(next);
      } catch {
        // One listener's failure must not stop delivery to the others.
      }
    }
  }
}
