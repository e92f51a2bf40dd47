// The credential's timers: the next fetch (a proactive refresh at a jittered fraction of the
// token's lifetime, or a retry after a failure) and the notice that flips the status when the held
// token stops being usable.
import type { Timers } from "./types";

export type ScheduledFetchKind = "refresh" | "retry";

export interface RefreshSchedulerOptions {
  readonly timers: Timers;
  readonly now: () => number;
  readonly random: () => number;
  /** Refresh at a uniformly random fraction of the remaining lifetime in [min, max]. */
  readonly refreshFraction: readonly [min: number, max: number];
  /** Runs the scheduled fetch. */
  readonly onDue: () => void;
  /** Runs when a token scheduled with `noticeExpiry` stops being usable. */
  readonly onExpired: () => void;
}

export class RefreshScheduler {
  private next: { handle: unknown; kind: ScheduledFetchKind } | undefined;
  private expiryNotice: unknown;

  constructor(private readonly options: RefreshSchedulerOptions) {
    const [min, max] = options.refreshFraction;
    if (!(min > 0 && min <= max && max < 1)) {
      throw new RangeError("refreshFraction must satisfy 0 < min <= max < 1");
    }
  }

  /** What the pending timer will do, if one is pending. */
  get pending(): ScheduledFetchKind | undefined {
    return this.next?.kind;
  }

  /** When to refresh a token that expires at `expiresOnLocal`, counted from `fromLocal`. */
  refreshAt(expiresOnLocal: number, fromLocal: number): number {
    const [min, max] = this.options.refreshFraction;
    const fraction = min + this.options.random() * (max - min);
    return fromLocal + (expiresOnLocal - fromLocal) * fraction;
  }

  /** Replaces the pending fetch timer. */
  schedule(atLocal: number, kind: ScheduledFetchKind): void {
    this.cancel();
    const handle = this.options.timers.setTimeout(
      () => {
        this.next = undefined;
        this.options.onDue();
      },
      Math.max(0, atLocal - this.options.now()),
    );
    this.next = { handle, kind };
  }

  cancel(): void {
    if (this.next) this.options.timers.clearTimeout(this.next.handle);
    this.next = undefined;
  }

  /** Calls `onExpired` just after `usableUntilLocal` (replacing an earlier notice). */
  noticeExpiry(usableUntilLocal: number): void {
    this.cancelExpiryNotice();
    this.expiryNotice = this.options.timers.setTimeout(
      () => {
        this.expiryNotice = undefined;
        this.options.onExpired();
      },
      Math.max(0, usableUntilLocal - this.options.now() + 1),
    );
  }

  /** Cancels both timers. */
  stop(): void {
    this.cancel();
    this.cancelExpiryNotice();
  }

  private cancelExpiryNotice(): void {
    if (this.expiryNotice !== undefined) this.options.timers.clearTimeout(this.expiryNotice);
    this.expiryNotice = undefined;
  }
}
