// The transport's error boundary: an unexpected exception becomes a 500 ACS error body (and a log
// line), never a crash; AcsHttpError keeps its status, code and headers.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createInMemoryKeyMaterial } from "../../src/certs";
import { createRequestPipeline } from "../../src/http/pipeline";
import { createDualProtocolServer, type DualProtocolServer } from "../../src/http/transport";
import { AcsHttpError } from "../../src/http/types";
import { createLogger } from "../../src/log";

const logged: string[] = [];
let server: DualProtocolServer;
let base: string;

beforeAll(async () => {
  const { tls } = createInMemoryKeyMaterial();
  const pipeline = createRequestPipeline({
    log: createLogger("error", (line) => logged.push(line)),
    route: (request) => {
      if (request.url.pathname === "/boom") return Promise.reject(new TypeError("kaboom"));
      if (request.url.pathname === "/busy") {
        return Promise.reject(
          new AcsHttpError(429, "TooManyRequests", "slow down", { "retry-after": "3" }),
        );
      }
      return Promise.resolve({ status: 200, json: { echo: request.body.toString() } });
    },
  });
  server = createDualProtocolServer({
    key: tls.serverKeyPem,
    cert: tls.serverCertPem,
    onRequest: pipeline.listener,
  });
  const port = await server.listen(0, "127.0.0.1");
  base = `http://127.0.0.1:${port}`;
  afterAll(() => server.close(() => pipeline.drain()));
});

it("answers an unexpected exception with 500 InternalError and keeps serving", async () => {
  const response = await fetch(`${base}/boom`);
  expect(response.status).toBe(500);
  expect(await response.json()).toEqual({
    error: { code: "InternalError", message: expect.any(String) as unknown },
  });
  expect(logged.join("")).toContain("kaboom");
  const next = await fetch(`${base}/echo`, { method: "POST", body: "hi" });
  expect(await next.json()).toEqual({ echo: "hi" });
});

it("keeps an AcsHttpError's status, code and headers", async () => {
  const response = await fetch(`${base}/busy`);
  expect(response.status).toBe(429);
  expect(response.headers.get("retry-after")).toBe("3");
  expect(await response.json()).toEqual({
    error: { code: "TooManyRequests", message: "slow down" },
  });
});

it("answers a malformed Host header with a 400 ACS error, not 500", async () => {
  const { request } = await import("node:http");
  const answer = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
    const req = request(`${base}/echo`, { headers: { host: "bad host:::" } }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("error", reject);
    req.end();
  });
  expect(answer.status).toBe(400);
  expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "InvalidRequest" } });
});
