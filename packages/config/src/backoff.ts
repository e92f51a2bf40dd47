// The one exponential back-off formula of our packages (acs-client's reconnects, outbox and token
// retries; acs-server's ACS retries and database reconnects). Pure and import-free: it runs in
// browsers and on the Edge runtime. The emulator keeps its own (it imports none of our packages).

/** The first delay and the ceiling of a capped exponential back-off, in milliseconds. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * `initialMs · 2^doublings`, capped at `maxMs`, times `jitter`, and never above `maxMs`; whole
 * milliseconds. `jitter` is a factor: 1 for none, `Math.random()` for "full jitter" (uniform in
 * [0, cap)), `0.8 + 0.4 · Math.random()` for ±20 % around the step.
 */
export function backoffDelayMs(doublings: number, backoff: Backoff, jitter = 1): number {
  // Clamped so that a long outage cannot overflow to Infinity (0 · Infinity is NaN).
  const exponent = Math.min(Math.max(0, Math.floor(doublings)), 30);
  const step = Math.min(backoff.maxMs, backoff.initialMs * 2 ** exponent);
  return Math.floor(Math.min(backoff.maxMs, step * jitter));
}
