// A signed-in person's HTTP client for one app instance, as a browser would be: next-auth's credentials
// sign-in with its CSRF token, then tRPC calls with the headers the app's cross-site guard expects
// (Origin = the app's origin, Sec-Fetch-Site: same-origin, JSON bodies; see
// src/server/http/csrf-guard.ts). No tRPC transformer: inputs and results are plain JSON.
import { Pool, type Dispatcher } from "undici";

export interface AppTarget {
  /** What a browser names in `Origin`: the instance's AUTH_URL. */
  origin: string;
  /** Where to connect (127.0.0.1: the server listens there only). */
  url: string;
}

/** A tRPC error as the HTTP adapter answers it. */
export class TrpcCallError extends Error {
  constructor(
    readonly procedure: string,
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${procedure}: ${status} ${code}: ${message}`);
    this.name = "TrpcCallError";
  }
}

interface TrpcResponseBody {
  result?: { data?: unknown };
  error?: { message?: string; data?: { code?: string } };
}

/** A connection pool per instance; `connections` bounds how many requests run at once. */
export function appPool(target: AppTarget, connections = 8): Pool {
  return new Pool(target.url, { connections, pipelining: 1 });
}

function cookiesOf(headers: Record<string, string | string[] | undefined>): string[] {
  const setCookie = headers["set-cookie"];
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.map((line) => line.split(";")[0]!);
}

/**
 * Signs in with email and password through next-auth's credentials callback (the form a browser
 * would post). Returns the Cookie header value that carries the session.
 */
export async function signInOverHttp(
  target: AppTarget,
  dispatcher: Dispatcher,
  email: string,
  password: string,
): Promise<string> {
  const csrf = await dispatcher.request({ method: "GET", path: "/api/auth/csrf", headers: {} });
  const { csrfToken } = (await csrf.body.json()) as { csrfToken: string };
  const csrfCookies = cookiesOf(csrf.headers);
  const form = new URLSearchParams({
    csrfToken,
    email,
    password,
    callbackUrl: `${target.origin}/chat`,
  });
  const answer = await dispatcher.request({
    method: "POST",
    path: "/api/auth/callback/credentials",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: target.origin,
      cookie: csrfCookies.join("; "),
    },
    body: form.toString(),
  });
  await answer.body.dump();
  const session = cookiesOf(answer.headers).find((c) => /^authjs\.session-token=./.test(c));
  if (!session) {
    const location = answer.headers.location;
    throw new Error(`Sign-in of ${email} failed: ${answer.statusCode} → ${String(location)}`);
  }
  return session;
}

/** The headers of a same-origin browser request from the app's pages. */
function sameOriginHeaders(target: AppTarget, cookie: string): Record<string, string> {
  return { origin: target.origin, "sec-fetch-site": "same-origin", cookie };
}

/** A tRPC mutation (POST /api/trpc/<procedure>); resolves with its data or throws TrpcCallError. */
export async function mutate<T>(
  target: AppTarget,
  dispatcher: Dispatcher,
  cookie: string,
  procedure: string,
  input: unknown = {},
): Promise<T> {
  const response = await dispatcher.request({
    method: "POST",
    path: `/api/trpc/${procedure}`,
    headers: { ...sameOriginHeaders(target, cookie), "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  const text = await response.body.text();
  let body: TrpcResponseBody;
  try {
    body = JSON.parse(text) as TrpcResponseBody;
  } catch {
    throw new TrpcCallError(procedure, response.statusCode, "NOT_JSON", text.slice(0, 200));
  }
  if (response.statusCode !== 200 || body.error) {
    throw new TrpcCallError(
      procedure,
      response.statusCode,
      body.error?.data?.code ?? "UNKNOWN",
      body.error?.message ?? text.slice(0, 200),
    );
  }
  return body.result?.data as T;
}

/**
 * A tRPC subscription over SSE (GET /api/trpc/<procedure>?input=…, what httpSubscriptionLink sends):
 * calls `onData` with each event's data until `signal` aborts. Resolves once the stream is open.
 */
export async function subscribe(
  target: AppTarget,
  dispatcher: Dispatcher,
  cookie: string,
  procedure: string,
  input: unknown,
  onData: (data: unknown) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await dispatcher.request({
    method: "GET",
    path: `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`,
    headers: { ...sameOriginHeaders(target, cookie), accept: "text/event-stream" },
    signal,
  });
  if (response.statusCode !== 200) {
    throw new TrpcCallError(procedure, response.statusCode, "STREAM", await response.body.text());
  }
  let buffer = "";
  response.body.setEncoding("utf8");
  response.body.on("data", (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice("data:".length).trimStart())
        .join("\n");
      if (data) onData(JSON.parse(data));
    }
  });
  // An aborted stream ends with an error; the caller asked for that.
  response.body.on("error", () => undefined);
}
