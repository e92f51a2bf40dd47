// Issue item 8: /api/trpc refuses bodies over 1 MiB (declared or streamed) before parsing them,
// batches of more than 20 calls, and tells a rate-limited client when to come back.
import { expect, test, type APIResponse } from "@playwright/test";
import { newPerson, signUp } from "./helpers";

const MIB = 1024 * 1024;

test("a body over 1 MiB gets 413, declared by Content-Length or streamed without one", async ({
  request,
  baseURL,
}) => {
  const padding = "x".repeat(MIB);
  const declared = await request.post("/api/trpc/acs.token.issue", {
    headers: { "content-type": "application/json" },
    data: JSON.stringify({ scopes: ["chat"], padding }),
  });
  expect(declared.status()).toBe(413);

  // Chunked transfer encoding: no Content-Length to check, the server has to count.
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent > 2 * MIB) return controller.close();
      sent += 64 * 1024;
      controller.enqueue(new TextEncoder().encode(" ".repeat(64 * 1024)));
    },
  });
  const streamed = await fetch(`${baseURL}/api/trpc/acs.token.issue`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    duplex: "half",
  } as RequestInit);
  expect(streamed.status).toBe(413);
});

test("a batch of more than 20 calls gets 400; 20 are answered", async ({ request }) => {
  const batch = (n: number) =>
    `/api/trpc/${Array.from({ length: n }, () => "acs.identity.me").join(",")}?batch=1&input=${encodeURIComponent(
      JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))),
    )}`;
  // Signed out: each of the 20 calls is answered (UNAUTHORIZED), none refused as a batch.
  const twenty = await request.get(batch(20));
  expect((await twenty.json()) as unknown[]).toHaveLength(20);
  const tooMany = await request.get(batch(21));
  expect(tooMany.status()).toBe(400);
  expect(await tooMany.text()).toContain("Batch call exceeds maximum size");
});

test("a rate-limited token request gets 429 with Retry-After", async ({ page }) => {
  await signUp(page, newPerson("Rita"));
  // The limit is ACS_TOKEN_RATE_LIMIT_PER_MINUTE (30) per fixed minute. The page issues a token of
  // its own, and the burst may straddle a minute boundary: 61 requests reach 429 in either case.
  let response: APIResponse | undefined;
  for (let i = 0; i < 61; i++) {
    response = await page.request.post("/api/trpc/acs.token.issue", {
      headers: { "content-type": "application/json" },
      data: { scopes: ["chat"] },
    });
    if (response.status() === 429) break;
    expect(response.status()).toBe(200);
  }
  expect(response?.status()).toBe(429);
  const retryAfter = Number(response?.headers()["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const body = (await response?.json()) as { error: { data: { retryAfterSeconds: number } } };
  expect(body.error.data.retryAfterSeconds).toBe(retryAfter);
});
