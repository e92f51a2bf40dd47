/** Capped exponential backoff with full jitter: uniform in [0, min(maxMs, initialMs·2^(attempt−1))). */
export function backoffDelay(
  attempt: number,
  backoff: { initialMs: number; maxMs: number },
  random: () => number,
): number {
  const exponent = Math.max(0, attempt - 1);
  const cap = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(exponent, 30));
  return Math.floor(random() * cap);
}
