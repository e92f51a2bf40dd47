// One token fetch that always settles: with the response, the fetch's own error, a
// TokenFetchTimeoutError after `timeoutMs` (the fetch is then aborted), or a
// CredentialDisposedError as soon as `controller` is aborted (dispose, revoke).
import { CredentialDisposedError, TokenFetchTimeoutError } from "./errors";
import type { Timers } from "./types";

export async function fetchWithTimeout<T>(
  fetch: () => T | Promise<T>,
  controller: AbortController,
  timers: Timers,
  timeoutMs: number,
): Promise<T> {
  let timeoutHandle: unknown;
  const cutoff = new Promise<never>((_, reject) => {
    timeoutHandle = timers.setTimeout(() => {
      reject(new TokenFetchTimeoutError(timeoutMs));
      controller.abort();
    }, timeoutMs);
    controller.signal.addEventListener("abort", () => reject(new CredentialDisposedError()), {
      once: true,
    });
  });
  try {
    // Promise.race subscribes to both, so a late rejection of either is handled.
    return await Promise.race([Promise.resolve().then(fetch), cutoff]);
  } finally {
    timers.clearTimeout(timeoutHandle);
  }
}
