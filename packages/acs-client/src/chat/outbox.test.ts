import { expect, it } from "vitest";
import { TokenFetchTimeoutError, TokenUnavailableError } from "../token/errors";
import { certainlyNotSent } from "./outbox";

it("only failures that never reached the service count as certainly not sent", () => {
  expect(certainlyNotSent({ statusCode: 401 })).toBe(true);
  expect(certainlyNotSent({ statusCode: 429 })).toBe(true);
  expect(certainlyNotSent({ code: "ECONNREFUSED" })).toBe(true);
  expect(certainlyNotSent(new TokenUnavailableError(1_000))).toBe(true);
  expect(certainlyNotSent(new TokenFetchTimeoutError(1_000))).toBe(true);
  // The request may have been processed: the retry must look for the message first.
  expect(certainlyNotSent({ statusCode: 503 })).toBe(false);
  expect(certainlyNotSent({ code: "ECONNRESET" })).toBe(false);
  expect(certainlyNotSent(new TypeError("fetch failed"))).toBe(false);
  expect(certainlyNotSent(undefined)).toBe(false);
});
