// Drives recorded requests of real ACS at a live emulator and lists every way the emulator's answer
// differs from the recorded one: status, error body, body shape, headers. Requests are re-signed
// with the emulator's key (or a token of its local Entra ID / an ACS user token it issued); ids the
// recorded session created are rewritten to the ids the emulator created for the same requests.
import { createHash, createHmac } from "node:crypto";
import https from "node:https";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { RunningEmulator } from "../../src/index";
import type { RecordedExchange, RecordedSession } from "./recordings";

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

export interface Answer {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
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

/** The upstream test's Entra application and Teams user (getTokenForTeamsUser.spec.ts inputs). */
export const TEAMS_APP_ID = "4c7ef6f7-46f4-4b6b-9d33-4fd1e3c3f1a1";
export const TEAMS_USER_ID = "b1c6c3a5-5a63-4c1e-8d47-0e3f5f1b2c90";
const TEAMS_USER_UPN = "teams-user@recordings.example";

/** Entra options under which the local Entra ID knows that application and user (add to `entra`). */
export function teamsEntraOptions(tenantId: string) {
  return {
    principals: [
      { tenantId, clientId: TEAMS_APP_ID, clientSecret: "teams-app", grantedAcsAccess: false },
    ],
    users: [{ userPrincipalName: TEAMS_USER_UPN, password: "teams-user", objectId: TEAMS_USER_ID }],
  };
}

/** Signs the Teams user's Entra token with the emulator's local Entra ID (≤ 0 s: already expired). */
export type TeamsTokenSource = (lifetimeSeconds?: number) => Promise<string>;

export function teamsTokenSource(emulator: Pick<RunningEmulator, "entra">): TeamsTokenSource {
  return (lifetimeSeconds) => {
    if (!emulator.entra) throw new Error("the emulator was started without entra options");
    return emulator.entra.issueUserAccessToken({
      clientId: TEAMS_APP_ID,
      userPrincipalName: TEAMS_USER_UPN,
      scopes: [
        "https://auth.msft.communication.azure.com/Teams.ManageCalls",
        "https://auth.msft.communication.azure.com/Teams.ManageChats",
      ],
      ...(lifetimeSeconds !== undefined ? { lifetimeSeconds } : {}),
    });
  };
}

/**
 * The Teams exchange recordings sanitise the whole body; rebuild it from the upstream test's inputs
 * (getTokenForTeamsUser.spec.ts): a token of app A for user U signed by the local Entra ID, and per
 * case one bad field.
 */
export async function teamsExchangeBody(
  file: string,
  teamsToken: TeamsTokenSource,
): Promise<Record<string, string>> {
  const appId = TEAMS_APP_ID;
  const userId = TEAMS_USER_ID;
  const name = path.basename(file);
  const token = await teamsToken();
  // Only the expired case signs a second token (with a lifetime in the past).
  const expired = name.includes("expired") ? await teamsToken(-3600) : token;
  const cases: Record<string, Record<string, string>> = {
    ltan_empty_teamsuseraadtokengt: { token: "", appId, userId: appId },
    ltan_invalid_teamsuseraadtokengt: { token: "invalid", appId, userId: appId },
    ltan_expired_teamsuseraadtokengt: { token: expired, appId, userId: appId },
    ltan_empty_clientidgt: { token, appId: "", userId },
    ltan_invalid_clientidgt: { token, appId: "invalid", userId },
    lta_wrong_clientidgt: { token, appId: userId, userId },
    ltan_empty_userobjectidgt: { token, appId, userId: "" },
    ltan_invalid_userobjectidgt: { token, appId, userId: "invalid" },
    lta_wrong_userobjectidgt: { token, appId, userId: appId },
  };
  for (const [key, body] of Object.entries(cases)) if (name.includes(key)) return body;
  return { token, appId, userId };
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

/** Body shape: keys and value types; `kind` of an identifier model is left out (see README). */
function shapeOf(value: unknown): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => !(k === "kind" && "rawId" in record))
      .sort();
    return Object.fromEntries(keys.map((k) => [k, shapeOf(record[k])]));
  }
  return typeof value;
}

function shapeDifferences(recorded: unknown, actual: unknown, at: string, out: string[]): void {
  if (isDeepStrictEqual(recorded, actual)) return;
  if (
    recorded !== null &&
    actual !== null &&
    typeof recorded === "object" &&
    typeof actual === "object" &&
    Array.isArray(recorded) === Array.isArray(actual)
  ) {
    const r = recorded as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    if (Array.isArray(recorded) && recorded.length !== (actual as unknown[]).length) {
      out.push(
        `body ${at}: ${recorded.length} items recorded, ${(actual as unknown[]).length} answered`,
      );
      return;
    }
    for (const key of new Set([...Object.keys(r), ...Object.keys(a)])) {
      if (!(key in a)) out.push(`body ${at}.${key}: recorded, not answered`);
      else if (!(key in r)) out.push(`body ${at}.${key}: answered, not recorded`);
      else shapeDifferences(r[key], a[key], `${at}.${key}`, out);
    }
    return;
  }
  out.push(`body ${at}: recorded ${JSON.stringify(recorded)}, answered ${JSON.stringify(actual)}`);
}

/** ACS writes `expiresOn` the .NET way: `2023-10-19T15:34:47.9325159+00:00`. */
const ACS_EXPIRES_ON = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?\+00:00$/;

function expiresOnDifferences(recorded: unknown, actual: unknown, out: string[]): void {
  const find = (body: unknown): unknown => {
    if (body === null || typeof body !== "object") return undefined;
    const record = body as { expiresOn?: unknown; accessToken?: { expiresOn?: unknown } };
    return record.expiresOn ?? record.accessToken?.expiresOn;
  };
  const r = find(recorded);
  const a = find(actual);
  if (
    typeof r === "string" &&
    ACS_EXPIRES_ON.test(r) &&
    !(typeof a === "string" && ACS_EXPIRES_ON.test(a))
  ) {
    out.push(`expiresOn: recorded like ${r}, answered ${String(a)}`);
  }
}

const HEADERS = [
  "api-supported-versions",
  "ms-cv",
  "strict-transport-security",
  "x-processing-time",
  "request-context",
  "x-ms-client-request-id",
  "content-type",
  "location",
] as const;

function headerDifferences(
  recorded: RecordedExchange,
  answer: Answer,
  sent: { apiVersion: string; clientRequestId?: string; location?: string },
  out: string[],
): void {
  const r = recorded.responseHeaders;
  const a = answer.headers;
  for (const name of HEADERS) {
    if (name in r !== name in a) {
      out.push(
        `header ${name}: recorded ${r[name] ?? "(absent)"}, answered ${a[name] ?? "(absent)"}`,
      );
    }
  }
  const check = (name: string, ok: (value: string) => boolean, expected: string) => {
    const value = a[name];
    if (name in r && value !== undefined && !ok(value)) {
      out.push(`header ${name}: expected ${expected}, answered ${value}`);
    }
  };
  for (const name of ["strict-transport-security", "request-context", "content-type"]) {
    check(name, (v) => v === r[name], r[name] ?? "");
  }
  check("ms-cv", (v) => /^[A-Za-z0-9+/]{22}\.\d+$/.test(v), "22 base64 chars + .0");
  check("x-processing-time", (v) => /^\d+ms$/.test(v), "<n>ms");
  check(
    "api-supported-versions",
    (v) => v.split(", ").includes(sent.apiVersion),
    `a list with ${sent.apiVersion}`,
  );
  check("x-ms-client-request-id", (v) => v === sent.clientRequestId, String(sent.clientRequestId));
  check("location", (v) => v === sent.location, String(sent.location));
  if (recorded.responseBody === null && r["content-length"] !== a["content-length"]) {
    out.push(
      `header content-length: recorded ${r["content-length"] ?? "(absent)"}, answered ${a["content-length"] ?? "(absent)"}`,
    );
  }
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
