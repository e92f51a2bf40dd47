// Errors in words a person understands, mapped once for every page.
import type { AcsErrorCode } from "@acs-stack/acs-server/contract";
import { TRPCClientError } from "@trpc/client";

export function describeError(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: AcsErrorCode } | undefined)?.code;
    switch (code) {
      case "UNAUTHORIZED":
        return "Your session has ended. Sign in again.";
      case "SERVICE_UNAVAILABLE":
        return "The chat service is unreachable right now. Retrying…";
      case "TOO_MANY_REQUESTS":
        return error.message;
      case "BAD_REQUEST":
        return error.message;
      case "NOT_FOUND":
        return "That no longer exists.";
      default:
        return "Something went wrong on our side. Try again in a moment.";
    }
  }
  if (error instanceof Error) {
    if (error.name === "TokenRevokedError") return "Your chat access was revoked. Sign in again.";
    if (error.name === "TokenUnavailableError" || error.name === "TokenFetchTimeoutError") {
      return "The chat service is slow to answer. Retrying…";
    }
    if (error.name === "TypeError" && /fetch/i.test(error.message))
      return "You appear to be offline. Retrying…";
    return error.message;
  }
  return "Something went wrong. Try again.";
}
