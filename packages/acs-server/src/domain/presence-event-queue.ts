// The queue between the hub and one watch stream: bounded, so a slow reader ends its own stream
// instead of growing the server's memory.
import type { PresenceEvent } from "../db/presence";
import { PresenceWatchLimitError } from "../errors";

/**
 * Per-watcher queue of at most `max` events (past that the stream fails rather than grow); `next()`
 * resolves undefined once closed, or throws once failed.
 */
export class EventQueue {
  private readonly items: PresenceEvent[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  private failure: Error | undefined;

  constructor(private readonly max: number) {}

  /** Ends the stream with `error` (after nothing else: pending events are dropped). */
  fail(error: Error): void {
    this.failure ??= error;
    this.close();
  }

  push(event: PresenceEvent): void {
    if (this.closed) return;
    if (this.items.length >= this.max)
      return this.fail(new PresenceWatchLimitError("overflow", this.max));
    this.items.push(event);
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async next(): Promise<PresenceEvent | undefined> {
    for (;;) {
      if (this.failure) throw this.failure;
      const event = this.items.shift();
      if (event) return event;
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
