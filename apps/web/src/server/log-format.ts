// Pure helpers of the server log (log.ts): request ids and the human-readable dev format.
import { randomUUID } from "node:crypto";

/** An incoming `x-request-id` (from a proxy or load balancer) is kept when it is a plain token. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

const LEVEL_LABELS: Record<string, string> = {
  trace: "TRACE",
  debug: "DEBUG",
  info: "INFO ",
  warn: "WARN ",
  error: "ERROR",
  fatal: "FATAL",
};

/**
 * One JSON log line as one readable line for a developer's terminal, e.g.
 * `12:30:05.123 INFO  trpc call acs.token.issue ok 41.2ms user=3f9c… req=5b1e…`.
 * Anything that is not a pino JSON line passes through unchanged.
 */
export function prettyLogLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, procedure, action, outcome, durationMs, userTag, requestId } = record;
  const rest = Object.entries(record).filter(
    ([key]) =>
      ![
        "time",
        "level",
        "msg",
        "procedure",
        "action",
        "outcome",
        "durationMs",
        "userTag",
        "requestId",
        "pid",
        "hostname",
        "type",
      ].includes(key),
  );
  const clock = typeof time === "string" ? time.slice(11, 23) : "";
  const parts = [
    clock,
    LEVEL_LABELS[String(level)] ?? String(level),
    msg,
    procedure ?? action,
    outcome,
    typeof durationMs === "number" ? `${durationMs}ms` : undefined,
    typeof userTag === "string" ? `user=${userTag.slice(0, 6)}…` : undefined,
    typeof requestId === "string" ? `req=${requestId.slice(0, 8)}…` : undefined,
    ...rest.map(
      ([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`,
    ),
  ];
  return `${parts.filter((part) => part !== undefined && part !== "").join(" ")}\n`;
}
