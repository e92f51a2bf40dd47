"use client";
// Why the thread did not open, and the way out: back to Chats, or try again.
import Link from "next/link";
import { describeError } from "~/lib/errors";

/** ACS answers 403/404 (400 for an id that is no thread id) when the person cannot open it. */
export function isNoAccess(error: unknown): boolean {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return status === 400 || status === 403 || status === 404;
}

export function ThreadOpenFailure({ error }: { error: unknown }) {
  if (isNoAccess(error)) {
    return (
      <div role="alert" className="thread-state">
        <p>This chat does not exist, or you are no longer in it.</p>
        <p>
          <Link href="/chat">Back to Chats</Link>
        </p>
      </div>
    );
  }
  return (
    <div role="alert" className="thread-state">
      <p className="error">Could not open this chat: {describeError(error)}</p>
      <p>
        <button type="button" onClick={() => window.location.reload()}>
          Try again
        </button>{" "}
        or <Link href="/chat">go back to Chats</Link>.
      </p>
    </div>
  );
}
