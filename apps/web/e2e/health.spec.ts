// The container probes against the running production server (emulator as ACS, PGlite): each probe
// answers on its own path, readiness reaches ACS, and no answer carries an endpoint or a secret.
import { expect, test } from "@playwright/test";

test("/api/health/<probe>: live, startup and ready answer 200; an unknown probe 400", async ({
  request,
}) => {
  for (const [path, body] of [
    ["/api/health/live", { ok: true, probe: "live" }],
    ["/api/health/startup", { ok: true, probe: "startup", checks: { database: "ok" } }],
    ["/api/health", { ok: true, probe: "startup", checks: { database: "ok" } }],
    ["/api/health/ready", { ok: true, probe: "ready", checks: { database: "ok", acs: "ok" } }],
  ] as const) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()["cache-control"]).toContain("no-store");
    expect(await response.json()).toEqual(body);
  }
  const unknown = await request.get("/api/health/everything");
  expect(unknown.status()).toBe(400);
  const text = await unknown.text();
  expect(text).not.toMatch(/127\.0\.0\.1|accesskey|postgres/i);
});
