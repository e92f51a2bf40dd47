import { backoffDelayMs } from "@acs-stack/config/backoff";

/**
 * The wait before retry number `attempt` (counted from 1) with full jitter: uniform in
 * [0, min(maxMs, initialMs·2^(attempt−1))). The formula is the shared one of @acs-stack/config.
 */
export function backoffDelay(
  attempt: number,
  backoff: { initialMs: number; maxMs: number },
  random: () => number,
): number {
  return backoffDelayMs(attempt - 1, backoff, random());
}
