// Spans around the domain operations, through @opentelemetry/api only: without a registered tracer
// provider (tests, scripts) every span is a no-op. The host app registers one (apps/web/src/server/
// telemetry.ts) when OTEL_EXPORTER_OTLP_ENDPOINT is set.
import type { Attributes } from "@opentelemetry/api";
import { SpanStatusCode, trace } from "@opentelemetry/api";

const tracer = trace.getTracer("@acs-stack/acs-server");

/**
 * Runs `fn` in a span named `name` (a child of the active span). A failure marks the span ERROR with
 * the error's class name only: messages can quote input, and exceptions are not recorded for the same reason.
 */
export function inSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.name : "non-Error thrown",
      });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Attributes of a span around a database call (both drivers speak PostgreSQL). */
export const DB_SPAN = { "db.system.name": "postgresql" } as const satisfies Attributes;
