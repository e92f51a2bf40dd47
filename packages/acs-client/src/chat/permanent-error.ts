// Which chat failures no retry can fix. Shared by the outbox (chat/outbox.ts: give up on a send) and
// the hooks (react/open-thread.ts: do not retry opening a thread that does not exist or is not ours).
import { CredentialDisposedError, TokenRevokedError } from "../token/errors";

/** The HTTP status of an SDK error (RestError), if it has one. */
export function statusCodeOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/**
 * Bad input, not a participant, no such thread, revoked, disposed. 401 (a token refresh may fix
 * it), 408 and 429 are not permanent.
 */
export function isPermanentChatError(error: unknown): boolean {
  if (error instanceof TokenRevokedError || error instanceof CredentialDisposedError) return true;
  const status = statusCodeOf(error);
  return (
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    status !== 401 &&
    status !== 408 &&
    status !== 429
  );
}

/** Attempts at opening a thread after a transient failure. */
const OPEN_THREAD_RETRIES = 3;

/**
 * Whether to try opening a thread again after `failureCount` earlier retries (react/open-thread.ts):
 * a permanent failure is shown at once.
 */
export function shouldRetryOpenThread(failureCount: number, error: unknown): boolean {
  return !isPermanentChatError(error) && failureCount < OPEN_THREAD_RETRIES;
}
