// CORS for browser clients of the emulator (identity over plain HTTP, chat, the event stream): only
// configured origins, by default pages served from this machine's loopback names on any port. Any
// other page gets no CORS header, so the browser keeps the response (and the access key) from it.
import { AcsHttpError } from "./types";

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

export const DEFAULT_CORS_ORIGINS: readonly string[] = [
  "http://localhost:*",
  "http://127.0.0.1:*",
  "http://[::1]:*",
  "https://localhost:*",
  "https://127.0.0.1:*",
  "https://[::1]:*",
];

// scheme://host[:port], the serialised origin a browser sends; a pattern may use `*` as the port.
const ORIGIN = /^(https?):\/\/(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::(\d{1,5}|\*))?\/?$/i;
const DEFAULT_PORT: Record<string, string> = { http: "80", https: "443" };

interface OriginParts {
  readonly scheme: string;
  readonly host: string;
  /** "" for the scheme's default port, "*" (patterns only) for any. */
  readonly port: string;
}

function parseOrigin(value: string): OriginParts | undefined {
  const match = ORIGIN.exec(value.trim());
  if (!match) return undefined;
  const scheme = (match[1] ?? "").toLowerCase();
  const port = match[3] ?? "";
  return {
    scheme,
    host: (match[2] ?? "").toLowerCase(),
    port: port === DEFAULT_PORT[scheme] ? "" : port,
  };
}

export class InvalidCorsOriginError extends Error {
  constructor(value: string) {
    super(
      `CORS origin '${value}' is not an origin: use scheme://host[:port] with http or https, ` +
        "and '*' as the port for any port (e.g. http://localhost:*).",
    );
    this.name = "InvalidCorsOriginError";
  }
}

export interface CorsPolicy {
  /** Whether a page of `origin` (the request's Origin header) may call the emulator. */
  allows(origin: string): boolean;
  /** @throws AcsHttpError 403 `OriginNotAllowed` when an Origin is given and not allowed. */
  check(origin: string | undefined): void;
  /** Headers for every response: `Access-Control-Allow-Origin` only for an allowed origin. */
  headers(origin: string | undefined): Record<string, string>;
  /** Headers answering an allowed preflight. */
  preflightHeaders(origin: string): Record<string, string>;
}

/** @throws InvalidCorsOriginError for an entry that is not an origin (pattern). */
export function createCorsPolicy(origins: readonly string[] = DEFAULT_CORS_ORIGINS): CorsPolicy {
  const patterns = origins.map((value) => {
    const parsed = parseOrigin(value);
    if (!parsed) throw new InvalidCorsOriginError(value);
    return parsed;
  });
  const allows = (origin: string) => {
    const parsed = parseOrigin(origin);
    if (!parsed || parsed.port === "*") return false;
    return patterns.some(
      (p) =>
        p.scheme === parsed.scheme &&
        p.host === parsed.host &&
        (p.port === "*" || p.port === parsed.port),
    );
  };
  const headers = (origin: string | undefined): Record<string, string> =>
    origin !== undefined && allows(origin)
      ? {
          "access-control-allow-origin": origin,
          // Every response header, as real ACS answers (chat-1.4.0-beta.2 recordings), so a page
          // can read MS-CV, Location, Retry-After. `*` is fine: these calls carry no cookies.
          "access-control-expose-headers": "*",
          vary: "Origin",
        }
      : { vary: "Origin" };
  return {
    allows,
    check(origin) {
      if (origin === undefined || allows(origin)) return;
      throw new AcsHttpError(
        403,
        "OriginNotAllowed",
        `Pages of the origin '${origin}' may not call this emulator. Start it with ` +
          "--cors-origin <origin> to allow them.",
        { connection: "close" },
      );
    },
    headers,
    preflightHeaders: (origin) => ({
      ...headers(origin),
      "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
      "access-control-allow-headers": ALLOWED_HEADERS,
      "access-control-max-age": "600",
    }),
  };
}
