"use client";
import { describeError } from "~/lib/errors";

/** Token trouble in plain words; nothing when all is well. */
export function ConnectionNotice({ status, error }: { status: string; error: unknown }) {
  if (status === "error") {
    return (
      <p role="status" className="notice">
        Chat is unavailable right now ({describeError(error)}). Retrying automatically.
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
  return null;
}
