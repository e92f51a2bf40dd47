import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_AFTER_SECONDS, retryAfterHeaders } from "./retry-after";

const ok = { result: { data: { json: 1 } } };
const limited = (retryAfterSeconds: number | null) => ({
  error: { data: { code: "TOO_MANY_REQUESTS", httpStatus: 429, retryAfterSeconds } },
});
const unauthorized = {
  error: { data: { code: "UNAUTHORIZED", httpStatus: 401, retryAfterSeconds: null } },
};

describe("Retry-After on rate-limited tRPC answers", () => {
  it("carries the rate limiter's retryAfterSeconds", () => {
    expect(retryAfterHeaders([limited(42)])).toEqual({ "retry-after": "42" });
  });

  it("takes the longest wait of a batch", () => {
    expect(retryAfterHeaders([ok, limited(3), limited(17), unauthorized])).toEqual({
      "retry-after": "17",
    });
  });

  it("falls back to a default when the 429's cause names no wait (ACS throttling)", () => {
    expect(retryAfterHeaders([limited(null)])).toEqual({
      "retry-after": String(DEFAULT_RETRY_AFTER_SECONDS),
    });
  });

  it("adds nothing to answers that were not rate limited", () => {
    expect(retryAfterHeaders([ok, unauthorized])).toEqual({});
  });
});
