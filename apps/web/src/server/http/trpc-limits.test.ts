// The limits as tRPC applies them, through acs-server's own procedures, error boundary and error
// formatter (RateLimitedError → TOO_MANY_REQUESTS with data.retryAfterSeconds).
import { RateLimitedError, createTRPCRouter, publicProcedure } from "@acs-stack/acs-server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { MAX_TRPC_BATCH_CALLS } from "~/lib/trpc-limits";
import { trpcLimits } from "./trpc-limits";

const router = createTRPCRouter({
  ping: publicProcedure.query(() => "pong"),
  limited: publicProcedure.mutation(() => {
    throw new RateLimitedError(42);
  }),
});

function call(path: string, init: RequestInit = {}) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost:3000/api/trpc/${path}`, init),
    router,
    // Only the fields the procedures above read; acs-server's real context needs services.
    createContext: () => ({}) as never,
    ...trpcLimits,
  });
}

const batchOf = (n: number) =>
  `${Array.from({ length: n }, () => "ping").join(",")}?batch=1&input=${encodeURIComponent(
    JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))),
  )}`;

describe("tRPC limits on /api/trpc", () => {
  it(`answers a batch of ${MAX_TRPC_BATCH_CALLS} calls`, async () => {
    const response = await call(batchOf(MAX_TRPC_BATCH_CALLS));
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveLength(MAX_TRPC_BATCH_CALLS);
  });

  it(`refuses a batch of ${MAX_TRPC_BATCH_CALLS + 1} calls with 400`, async () => {
    const response = await call(batchOf(MAX_TRPC_BATCH_CALLS + 1));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("Batch call exceeds maximum size");
  });

  it("sends Retry-After with a 429 from the rate limiter", async () => {
    const response = await call("limited", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("42");
    const body = (await response.json()) as { error: { data: { retryAfterSeconds: number } } };
    expect(body.error.data.retryAfterSeconds).toBe(42);
  });

  it("sends no Retry-After on other answers", async () => {
    const response = await call("ping");
    expect(response.status).toBe(200);
    expect(response.headers.get("retry-after")).toBeNull();
  });
});
