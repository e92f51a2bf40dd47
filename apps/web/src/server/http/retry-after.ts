// 429 answers tell the client when to come back (RFC 9110 §10.2.3): tRPC's responseMeta adds
// Retry-After from the error shape's data.retryAfterSeconds (acs-server's errorFormatter fills it
// from RateLimitedError); a 429 without it (ACS throttling us) gets a short default.

/** For a 429 whose cause does not say how long to wait. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

interface ErrorShapeLike {
  error?: { data?: { httpStatus?: unknown; retryAfterSeconds?: unknown } };
}

/** The Retry-After header for a tRPC response, or no headers when nothing in it was rate limited. */
export function retryAfterHeaders(data: readonly unknown[]): Record<string, string> {
  let seconds: number | undefined;
  for (const item of data) {
    const errorData = (item as ErrorShapeLike).error?.data;
    if (errorData?.httpStatus !== 429) continue;
    const given = errorData.retryAfterSeconds;
    const wait =
      typeof given === "number" && Number.isFinite(given) && given > 0
        ? Math.ceil(given)
        : DEFAULT_RETRY_AFTER_SECONDS;
    seconds = Math.max(seconds ?? 0, wait);
  }
  return seconds === undefined ? {} : { "retry-after": String(seconds) };
}
