"use client";
import { useChatSession } from "@acs-stack/acs-client/react";
import { describeError } from "~/lib/errors";

/**
 * Chat access trouble in plain words, with what happens next and what the person can do; nothing
 * when all is well or while a normal start is under way (the pages show their own loading state).
 */
export function ConnectionNotice({ status, error }: { status: string; error: unknown }) {
  const session = useChatSession();
  if (status === "error") {
    return (
      <p role="status" className="notice">
        Chat is unavailable right now ({describeError(error)}). Retrying automatically: keep this
        page open, and what you write is sent once it is back.
      </p>
    );
  }
  if (status === "expiring") {
    return (
      <p role="status" className="notice">
        Renewing your chat access is taking longer than usual. Retrying; you can keep chatting.
      </p>
    );
  }
  if (session.status === "connecting" && session.error !== undefined) {
    return (
      <p role="status" className="notice">
        Connecting to chat is taking longer than usual ({describeError(session.error)}). Retrying
        automatically; reload the page if it does not connect.
      </p>
    );
  }
  return null;
}
