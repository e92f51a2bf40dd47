// CORS for browser clients of the emulator (identity over plain HTTP, chat, the event stream).
const ALLOWED_HEADERS = [
  "authorization",
  "content-type",
  "accept",
  "x-ms-client-request-id",
  "x-ms-useragent",
  "repeatability-request-id",
  "x-ms-date",
  "x-ms-content-sha256",
  "x-skypetoken",
  "last-event-id",
].join(", ");

export function corsHeaders(origin: string | undefined): Record<string, string> {
  return {
    "access-control-allow-origin": origin ?? "*",
    "access-control-expose-headers": "location, x-ms-request-id, retry-after",
    vary: "Origin",
  };
}

export function preflightHeaders(origin: string | undefined): Record<string, string> {
  return {
    ...corsHeaders(origin),
    "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
    "access-control-allow-headers": ALLOWED_HEADERS,
    "access-control-max-age": "600",
  };
}
