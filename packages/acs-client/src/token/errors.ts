// Typed failures of the token credential, so callers branch on the class, never on messages.
import { REVOKED_ERROR_CODES } from "@acs-stack/acs-server/contract";

/** The credential was disposed; pending and later `getToken` calls reject with this. */
export class CredentialDisposedError extends Error {
  constructor() {
    super("The ACS token credential was disposed.");
    this.name = "CredentialDisposedError";
  }
}

/** The server refused to issue or refresh tokens (session ended or tokens revoked): sign in again. */
export class TokenRevokedError extends Error {
  constructor(options?: { cause?: unknown }) {
    super("ACS tokens were revoked or the session ended; sign in again.", options);
    this.name = "TokenRevokedError";
  }
}

/** One fetch took longer than `fetchTimeoutMs` and was aborted. */
export class TokenFetchTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Fetching an ACS token took longer than ${timeoutMs} ms.`);
    this.name = "TokenFetchTimeoutError";
  }
}

/** The token endpoint answered with something that is not a usable token. */
export class InvalidTokenResponseError extends Error {
  constructor(message: string) {
    super(`Invalid token response: ${message}`);
    this.name = "InvalidTokenResponseError";
  }
}

/** No valid token could be obtained within `maxWaitMs` (the refresher keeps retrying). */
export class TokenUnavailableError extends Error {
  constructor(waitedMs: number, options?: { cause?: unknown }) {
    super(`No valid ACS token within ${waitedMs} ms; still retrying in the background.`, options);
    this.name = "TokenUnavailableError";
  }
}

/** The caller's abort signal fired while it waited for a token. */
export class TokenWaitAbortedError extends Error {
  constructor() {
    super("Waiting for an ACS token was aborted.");
    this.name = "AbortError";
  }
}

/**
 * Default revocation check: a tRPC error whose code is one of the contract's REVOKED_ERROR_CODES
 * (signed out, session ended, tokens revoked: no retry helps). Reads `data.code` (TRPCClientError)
 * or `code` (TRPCError on the server side / createCaller).
 */
export function isRevokedTrpcError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const direct = (error as { code?: unknown }).code;
  const data = (error as { data?: { code?: unknown } | null }).data;
  const code = typeof direct === "string" ? direct : data?.code;
  return (REVOKED_ERROR_CODES as readonly unknown[]).includes(code);
}
