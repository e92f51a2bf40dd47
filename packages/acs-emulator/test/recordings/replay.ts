// Drives recorded requests of real ACS at a live emulator and lists every way the emulator's answer
// differs from the recorded one: status, error body, body shape, headers. Requests are re-signed
// with the emulator's key (or a token of its local Entra ID / an ACS user token it issued); ids the
// recorded session created are rewritten to the ids the emulator created for the same requests.
import { createHash, createHmac } from "node:crypto";
import https from "node:https";
import { isDeepStrictEqual } from "node:util";
import {
  expiresOnDifferences,
  headerDifferences,
  shapeDifferences,
  shapeOf,
  type Answer,
} from "./answer-differences";
import type { RecordedExchange, RecordedSession } from "./recordings";
import { teamsExchangeBody, type TeamsTokenSource } from "./teams-exchange-inputs";

export type { Answer } from "./answer-differences";
export {
  TEAMS_APP_ID,
  TEAMS_USER_ID,
  teamsEntraOptions,
  teamsExchangeBody,
  teamsTokenSource,
  type TeamsTokenSource,
} from "./teams-exchange-inputs";

/** The upstream error-case tests' user of another resource (live mode), sanitised in the recordings. */
export const FOREIGN_USER_ID =
  "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000";

export interface ReplayTarget {
  /** `https://127.0.0.1:<port>/` */
  readonly endpoint: string;
  readonly caCertPem: string;
  readonly accessKey: string;
  readonly apiVersions: { readonly identity: string; readonly chat: string };
  /** A bearer token of the emulator's local Entra ID, for the `*_aad` suites. */
  readonly entraToken: () => Promise<string>;
  /** The Teams user's Entra token, signed by the emulator's local Entra ID. */
  readonly teamsToken: TeamsTokenSource;
}

export interface ReplayOutcome {
  /** `<file> #<index> <METHOD> <recorded path>` */
  readonly name: string;
  readonly recorded: RecordedExchange;
  readonly answer: Answer;
  readonly differences: readonly string[];
}

/** Values a suite learnt: recorded id → emulator id, recorded next link → emulator next link. */
export class ReplayContext {
  readonly values = new Map<string, string>();
  readonly links = new Map<string, string>();
  chatToken: string | undefined;
}

type Api = "identity" | "chat";
const apiOf = (pathname: string): Api => (pathname.startsWith("/chat") ? "chat" : "identity");

const recordedTarget = (uri: string) => uri.replace(/^https:\/\/endpoint/, "");

function mapValue(ctx: ReplayContext, value: string): string {
  const known = ctx.values.get(value);
  if (known !== undefined) return known;
  // An identity the session never created: the upstream error cases' user of another resource.
  return value === "sanitized" ? FOREIGN_USER_ID : value;
}

function mapStrings(ctx: ReplayContext, value: unknown): unknown {
  if (typeof value === "string") return ctx.values.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => mapStrings(ctx, v));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(ctx, v)]));
  }
  return value;
}

function targetOf(ctx: ReplayContext, exchange: RecordedExchange, target: ReplayTarget) {
  const linked = ctx.links.get(recordedTarget(exchange.uri));
  const url = new URL(exchange.uri);
  const api = apiOf(url.pathname);
  if (linked !== undefined) return { api, pathAndQuery: linked };
  const pathname = url.pathname
    .split("/")
    .map((segment) => {
      if (segment === "") return segment;
      const decoded = decodeURIComponent(segment);
      const mapped = mapValue(ctx, decoded);
      return mapped === decoded ? segment : encodeURIComponent(mapped);
    })
    .join("/");
  url.searchParams.set("api-version", target.apiVersions[api]);
  return { api, pathAndQuery: `${pathname}?${url.searchParams.toString()}` };
}

function hmacHeaders(
  method: string,
  pathAndQuery: string,
  host: string,
  body: string,
  accessKey: string,
): Record<string, string> {
  const date = new Date().toUTCString();
  const hash = createHash("sha256").update(body).digest("base64");
  const signature = createHmac("sha256", Buffer.from(accessKey, "base64"))
    .update(`${method}\n${pathAndQuery}\n${date};${host};${hash}`)
    .digest("base64");
  return {
    "x-ms-date": date,
    "x-ms-content-sha256": hash,
    authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
  };
}

function send(
  target: ReplayTarget,
  method: string,
  pathAndQuery: string,
  headers: Record<string, string>,
  body: string,
): Promise<Answer> {
  const base = new URL(target.endpoint);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path: pathAndQuery,
        ca: target.caCertPem,
        headers: { ...headers, host: base.host, "content-length": String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(", ") : v;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: flat,
            body: text === "" ? null : (JSON.parse(text) as unknown),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The Location real ACS would have sent for the emulator's ids (colon escaped, `@` kept). */
function expectedLocation(recorded: string | undefined, ctx: ReplayContext, endpoint: string) {
  if (recorded === undefined) return undefined;
  let location = recorded.replace(/^https:\/\/endpoint\//, endpoint);
  const encode = (id: string) => encodeURIComponent(id).replace(/%40/g, "@");
  for (const [from, to] of ctx.values) location = location.split(encode(from)).join(encode(to));
  return location;
}

/** Learns the ids and links the emulator answered in place of the recorded ones. */
function learn(ctx: ReplayContext, recorded: RecordedExchange, answer: Answer, endpoint: string) {
  if (answer.status !== recorded.status) return;
  const r = recorded.responseBody as LearnedBody | null;
  const a = answer.body as LearnedBody | null;
  if (!r || !a) return;
  const sentMessage = recorded.method === "POST" && /\/messages\?/.test(recorded.uri);
  const pairs: [unknown, unknown][] = [
    [r.identity?.id, a.identity?.id],
    [r.chatThread?.id, a.chatThread?.id],
    [sentMessage ? r.id : undefined, a.id],
  ];
  for (const [from, to] of pairs) {
    if (typeof from === "string" && typeof to === "string") ctx.values.set(from, to);
  }
  if (typeof a.accessToken?.token === "string") ctx.chatToken ??= a.accessToken.token;
  if (typeof r.nextLink === "string" && typeof a.nextLink === "string") {
    ctx.links.set(recordedTarget(r.nextLink), a.nextLink.slice(endpoint.length - 1));
  }
}

interface LearnedBody {
  id?: unknown;
  nextLink?: unknown;
  identity?: { id?: unknown };
  accessToken?: { token?: unknown };
  chatThread?: { id?: unknown };
}

export async function replayExchange(
  target: ReplayTarget,
  ctx: ReplayContext,
  session: RecordedSession,
  index: number,
): Promise<ReplayOutcome> {
  const recorded = session.exchanges[index]!;
  const { api, pathAndQuery } = targetOf(ctx, recorded, target);
  const isTeamsExchange = recorded.uri.includes("/teamsUser/");
  const requestBody = isTeamsExchange
    ? await teamsExchangeBody(session.file, target.teamsToken)
    : mapStrings(ctx, recorded.requestBody);
  const body = requestBody === null || requestBody === undefined ? "" : JSON.stringify(requestBody);
  const headers: Record<string, string> = { accept: "application/json" };
  for (const name of ["content-type", "x-ms-client-request-id", "repeatability-request-id"]) {
    const value = recorded.requestHeaders[name];
    if (value !== undefined) headers[name] = value;
  }
  const host = new URL(target.endpoint).host;
  if (api === "chat") {
    if (ctx.chatToken === undefined) throw new Error(`${session.file}: no ACS user token yet`);
    headers.authorization = `Bearer ${ctx.chatToken}`;
  } else if (session.suite.endsWith("_aad")) {
    headers.authorization = `Bearer ${await target.entraToken()}`;
  } else {
    Object.assign(
      headers,
      hmacHeaders(recorded.method, pathAndQuery, host, body, target.accessKey),
    );
  }
  const answer = await send(target, recorded.method, pathAndQuery, headers, body);
  learn(ctx, recorded, answer, target.endpoint);

  const differences: string[] = [];
  if (answer.status !== recorded.status) {
    differences.push(`status: recorded ${recorded.status}, answered ${answer.status}`);
  } else if (recorded.status >= 400) {
    if (!isDeepStrictEqual(answer.body, recorded.responseBody)) {
      differences.push(
        `error body: recorded ${JSON.stringify(recorded.responseBody)}, answered ${JSON.stringify(answer.body)}`,
      );
    }
  } else {
    shapeDifferences(shapeOf(recorded.responseBody), shapeOf(answer.body), "$", differences);
    expiresOnDifferences(recorded.responseBody, answer.body, differences);
  }
  headerDifferences(
    recorded,
    answer,
    {
      apiVersion: target.apiVersions[api],
      clientRequestId: headers["x-ms-client-request-id"],
      location: expectedLocation(recorded.responseHeaders.location, ctx, target.endpoint),
    },
    differences,
  );
  const recordedPath = new URL(recorded.uri).pathname;
  return {
    name: `${session.file} #${index} ${recorded.method} ${recordedPath}`,
    recorded,
    answer,
    differences,
  };
}
