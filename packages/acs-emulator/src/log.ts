// Minimal leveled logger on stderr (stdout stays free for the CLI's --json line).
import type { Logger } from "./modules";

export type LogLevel = "silent" | "error" | "info" | "debug";

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, info: 2, debug: 3 };

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const emit = (kind: string, rank: number, message: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < rank) return;
    const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
    write(`[acs-emulator] ${new Date().toISOString()} ${kind} ${message}${suffix}\n`);
  };
  return {
    debug: (message, fields) => emit("debug", 3, message, fields),
    info: (message, fields) => emit("info", 2, message, fields),
    warn: (message, fields) => emit("warn", 1, message, fields),
    error: (message, fields) => emit("error", 1, message, fields),
  };
}
