// Per-user limits on how often something may happen (directory searches, presence updates, ACS
// identity creations), counted in the DB so that every instance enforces the same budget.
import type { CallCounters } from "../db/call-counters";
import { RateLimitedError } from "../errors";

export interface CallLimit {
  /** Counts one call by `userId`; throws RateLimitedError (TOO_MANY_REQUESTS) past the limit. */
  consume(userId: string): Promise<void>;
}

export interface CallLimitOptions {
  /** The counter's key prefix ("directory" counts under "directory:<userId>"). */
  key: string;
  /** Names the calls in the error ("directory searches"). */
  what: string;
  /** Calls allowed per window. */
  max: number;
  /** Default one minute. */
  windowMs?: number;
}

export function perUserCallLimit(
  counters: CallCounters,
  now: () => Date,
  options: CallLimitOptions,
): CallLimit {
  const windowMs = options.windowMs ?? 60_000;
  return {
    async consume(userId) {
      const { count, retryAfterSeconds } = await counters.increment(
        `${options.key}:${userId}`,
        now(),
        windowMs,
      );
      if (count > options.max) throw new RateLimitedError(retryAfterSeconds, options.what);
    },
  };
}
