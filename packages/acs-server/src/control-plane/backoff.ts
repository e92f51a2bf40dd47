// The one exponential back-off formula of acs-server (ACS retries, database reconnects). It sits in
// this folder because the Edge entry point (./edge.ts) may load nothing from outside it.

/**
 * `baseMs · 2^attempt`, times `jitter` (e.g. 0.8–1.2 so that many clients do not retry in step),
 * never more than `maxMs`. `attempt` counts from 0.
 */
export function exponentialBackoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  jitter = 1,
): number {
  return Math.min(baseMs * 2 ** attempt * jitter, maxMs);
}
