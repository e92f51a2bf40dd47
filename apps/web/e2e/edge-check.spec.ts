// Issue 5: the hmac-rest client runs the token lifecycle from a route built for the Edge runtime.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";

const WEB_DIR = join(import.meta.dirname, "..");

test("next build lists /api/acs/edge-check as an Edge function", () => {
  const manifest = JSON.parse(
    readFileSync(join(WEB_DIR, ".next", "server", "middleware-manifest.json"), "utf8"),
  ) as {
    functions?: Record<string, unknown>;
  };
  expect(Object.keys(manifest.functions ?? {})).toContain("/api/acs/edge-check/route");
});

test("the Edge route creates an identity, issues, revokes and deletes through hmac-rest", async ({
  request,
}) => {
  const started = Date.now();
  const response = await request.get("/api/acs/edge-check");
  expect(response.status(), await response.text()).toBe(200);
  const body = (await response.json()) as { runtime: string; model: string; expiresOn: string };
  expect(body.runtime).toBe("edge");
  expect(body.model).toBe("hmac-rest");
  // A 60-minute token issued just now.
  const expiresIn = Date.parse(body.expiresOn) - started;
  expect(expiresIn).toBeGreaterThan(55 * 60_000);
  expect(expiresIn).toBeLessThan(65 * 60_000);
});
