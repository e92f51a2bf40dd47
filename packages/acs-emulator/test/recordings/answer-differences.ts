// Every way an emulator answer differs from the recorded one that the replay reports: body shape,
// the .NET format of `expiresOn`, and the headers real ACS sends.
import { isDeepStrictEqual } from "node:util";
import type { RecordedExchange } from "./recordings";

export interface Answer {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Body shape: keys and value types; `kind` of an identifier model is left out (see README). */
export function shapeOf(value: unknown): unknown {
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

export function shapeDifferences(
  recorded: unknown,
  actual: unknown,
  at: string,
  out: string[],
): void {
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

export function expiresOnDifferences(recorded: unknown, actual: unknown, out: string[]): void {
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

export function headerDifferences(
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
