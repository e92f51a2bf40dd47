// OpenTelemetry traces, registered from Next's instrumentation hook (src/instrumentation.ts) when
// OTEL_EXPORTER_OTLP_ENDPOINT is set; nothing is loaded otherwise. The provider receives Next's own
// request spans and acs-server's (token.issue with its db.* and acs.* children), and exports them over
// OTLP/HTTP (JSON encoding), which collectors and Azure Monitor's OTLP ingestion accept.
// Spec: https://opentelemetry.io/docs/specs/otel/protocol/exporter/ (endpoint + "/v1/traces").
import { env } from "~/env";
import { getLogger } from "./log";

/** The traces URL for an OTLP base endpoint, as the OTLP exporter spec derives it. */
export function tracesUrl(endpoint: string): string {
  return new URL("v1/traces", endpoint.endsWith("/") ? endpoint : `${endpoint}/`).toString();
}

export async function registerTracing(): Promise<void> {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return;
  const [
    { BatchSpanProcessor, NodeTracerProvider },
    { OTLPTraceExporter },
    { resourceFromAttributes },
  ] = await Promise.all([
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(endpoint) }))],
  });
  // Global tracer provider, context manager (AsyncLocalStorage) and W3C trace-context propagator.
  provider.register();
  // The host only: the URL may carry credentials.
  getLogger().info({ otlpHost: new URL(endpoint).host }, "tracing: exporting spans over OTLP/HTTP");
}
