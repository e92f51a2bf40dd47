// Runs once when the server boots, before it serves a request: the production start-up policy (exit
// on missing configuration), then the database is opened and migrated rather than on the first sign-in.
export async function register() {
  // Set by Next itself; env.ts (Node-only) must not load in the Edge runtime.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;

  // --- Traces (OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set; see server/telemetry.ts).
  // First, so the spans of everything after it are recorded.
  const { registerTracing } = await import("./server/telemetry");
  await registerTracing();
  // --- end traces

  const { enforceStartupPolicy } = await import("./server/startup-check");
  await enforceStartupPolicy();
  const { getDatabase } = await import("./server/db");
  await getDatabase().catch((error: unknown) =>
    console.error("Database not ready at start-up:", error),
  );
}
