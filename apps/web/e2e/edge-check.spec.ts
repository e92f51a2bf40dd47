// Diagnostic routes are off in production. The app runs with NODE_ENV=production, the Edge
// check enabled (ACS_EDGE_CHECK_ENABLED=1) and configured with an ACS endpoint that is a trap listening
// here: an anonymous caller must get 404 and the trap must see no control-plane call. The check's own
// behaviour outside production: src/app/api/acs/edge-check/edge-check.test.ts.
import { createServer, type IncomingMessage } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { e2eEnv } from "./env";

const WEB_DIR = join(import.meta.dirname, "..");

test("next build still lists /api/acs/edge-check as an Edge function", () => {
  const manifest = JSON.parse(
    readFileSync(join(WEB_DIR, ".next", "server", "middleware-manifest.json"), "utf8"),
  ) as {
    functions?: Record<string, unknown>;
  };
  expect(Object.keys(manifest.functions ?? {})).toContain("/api/acs/edge-check/route");
});

test("in production an anonymous GET of /api/acs/edge-check gets 404 and calls no control plane", async ({
  request,
}) => {
  const calls: string[] = [];
  const trap = createServer((incoming: IncomingMessage, response) => {
    calls.push(`${incoming.method} ${incoming.url}`);
    response.writeHead(500).end();
  });
  await new Promise<void>((resolve, reject) => {
    trap.once("error", reject);
    trap.listen(e2eEnv.edgeTrapPort, "127.0.0.1", resolve);
  });
  try {
    for (const path of [
      "/api/acs/edge-check",
      "/api/acs/edge-check?enabled=1",
      "/api/acs/edge-check/",
    ]) {
      const response = await request.get(path, {
        headers: { "x-forwarded-for": "127.0.0.1", "x-acs-edge-check": "1" },
        maxRedirects: 5,
      });
      expect(response.status(), `${path}: ${await response.text()}`).toBe(404);
    }
    expect(calls).toEqual([]);
  } finally {
    await new Promise((resolve) => trap.close(resolve));
  }
});
