// Per-user limits on how often a procedure may be called (directory searches, presence updates),
// counted in the DB so that every instance enforces the same budget.
import type { CallCounters } from "../db/call-counters";
import { TooManyCallsError } from "../errors";

const WINDOW_MS = 60_000;

export interface CallLimit {
  /** Counts one call by `userId`; throws TooManyCallsError (TOO_MANY_REQUESTS) past the limit. */
  consume(userId: string): Promise<void>;
}

/**
 * `perMinute` calls per user per minute under `key` (the counter's prefix); `what` names the calls
 * in the error ("directory searches").
 */
export function perUserCallLimit(
  counters: CallCounters,
  now: () => Date,
  options: { key: string; what: string; perMinute: number },
): CallLimit {
  return {
    async consume(userId) {
      const { count, retryAfterSeconds } = await counters.increment(
        `${options.key}:${userId}`,
        now(),
        WINDOW_MS,
      );
      if (count > options.perMinute) throw new TooManyCallsError(options.what, retryAfterSeconds);
    },
  };
}
