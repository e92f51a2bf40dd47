import { describe, expect, it } from "vitest";
import {
  CredentialDisposedError,
  TokenFetchTimeoutError,
  TokenRevokedError,
} from "../token/errors";
import { isPermanentChatError, shouldRetryOpenThread } from "./permanent-error";

/** What the chat SDK rejects with: a RestError carries the HTTP status as `statusCode`. */
const restError = (statusCode: number) => Object.assign(new Error("ACS said no"), { statusCode });

describe("opening a thread", () => {
  it("is not retried when the thread does not exist, is not ours or the id is malformed", () => {
    for (const status of [400, 403, 404])
      expect(shouldRetryOpenThread(0, restError(status))).toBe(false);
  });

  it("is not retried once the grant is gone", () => {
    expect(shouldRetryOpenThread(0, new TokenRevokedError())).toBe(false);
    expect(shouldRetryOpenThread(0, new CredentialDisposedError())).toBe(false);
  });

  it("is retried three times after a transient failure, then shown", () => {
    for (const error of [
      restError(401),
      restError(429),
      restError(503),
      new TokenFetchTimeoutError(1),
    ]) {
      expect([0, 1, 2, 3].map((failures) => shouldRetryOpenThread(failures, error))).toEqual([
        true,
        true,
        true,
        false,
      ]);
    }
  });
});

it("a send is given up for client errors only, not for 401, 408 or 429", () => {
  expect([400, 403, 404, 413].every((s) => isPermanentChatError(restError(s)))).toBe(true);
  expect([401, 408, 429, 500, 503].some((s) => isPermanentChatError(restError(s)))).toBe(false);
  expect(isPermanentChatError(new Error("network down"))).toBe(false);
});
