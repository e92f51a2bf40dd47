// What the server log of a browser run must never contain, and how to read it (LOG_FILE, one JSON
// object per line). Used by log-scan.spec.ts and, after every run, log-scan.teardown.ts.
import { existsSync, readFileSync } from "node:fs";

export interface LogLine {
  level: string;
  time: string;
  msg: string;
  requestId?: string;
  procedure?: string;
  action?: string;
  outcome?: string;
  durationMs?: number;
  userTag?: string | null;
}

const FORBIDDEN: { what: string; pattern: RegExp }[] = [
  // ACS user tokens and session JWTs (base64url JSON headers start with eyJ).
  { what: "a JWT", pattern: /eyJ[\w-]{8,}\.[\w-]{8,}/ },
  { what: "a connection string", pattern: /accesskey=|endpoint=https?:/i },
  // The emulator's documented access key, and any key-shaped base64 run (ACS keys are 88 characters).
  { what: "an access key", pattern: /[A-Za-z0-9+/]{60,}={0,2}/ },
  // playwright.config.ts's AUTH_SECRET for this run.
  { what: "AUTH_SECRET", pattern: /e2e-only-secret/ },
  // The local Entra ID's refresh tokens, and the client secret and password of e2e/entra.ts.
  { what: "an Entra refresh token", pattern: /emu-rt\./ },
  { what: "an Entra secret", pattern: /e2e-only-entra-/ },
  // Passwords the specs type: helpers.ts newPerson() and the wrong ones in auth.spec.ts.
  { what: "a password", pattern: /pass phrase \w+ ok|not the password|whatever it is|wrong \d/ },
  { what: "an email address", pattern: /[\w.+-]+@[\w-]+\.[\w.-]+/ },
];

export function readLogText(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "");
}

/** Every problem of the log: lines that are not JSON objects, and lines with a forbidden value. */
export function logProblems(lines: readonly string[]): string[] {
  const problems: string[] = [];
  lines.forEach((line, index) => {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      problems.push(`line ${index + 1} is not JSON`);
      return;
    }
    const { level, time, msg } = (record ?? {}) as Partial<LogLine>;
    if (typeof level !== "string" || typeof time !== "string" || typeof msg !== "string")
      problems.push(`line ${index + 1} lacks level, time or msg`);
    for (const { what, pattern } of FORBIDDEN) {
      // The line number and the kind only: the report must not repeat the secret.
      if (pattern.test(line)) problems.push(`line ${index + 1} contains ${what}`);
    }
  });
  return problems;
}
