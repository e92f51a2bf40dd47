// The pipeline policies through the unmodified ChatClient, against a local plain-HTTP server
// that plays ACS's chat route (what the emulator does on its http side).
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ChatClient } from "@azure/communication-chat";
import { createPipelineRequest } from "@azure/core-rest-pipeline";
import type { PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { afterEach, describe, expect, it } from "vitest";
import { createAcsTokenCredential } from "../token/credential";
import type { TokenFetchReason } from "../token/types";
import {
  createEmulatorLoopbackPolicy,
  emulatorLoopbackPolicies,
  isLoopbackEmulatorEndpoint,
} from "./emulator-loopback-policy";
import { tokenRefreshPolicies } from "./token-refresh-policy";

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Answers GET /chat/threads with `respond(req, n)` (n = 1-based request count). */
async function startHttp(
  respond: (req: IncomingMessage, n: number) => { status: number; body?: unknown },
) {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    seen.push({
      method: req.method ?? "",
      url: req.url ?? "",
      authorization: req.headers.authorization,
    });
    const { status, body } = respond(req, seen.length);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body === undefined ? "" : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, seen };
}

function tokenCredential(reasons: TokenFetchReason[]) {
  let n = 0;
  return createAcsTokenCredential({
    crossTab: false,
    fetchToken: (reason) => {
      reasons.push(reason);
      n += 1;
      const now = Date.now();
      return Promise.resolve({
        token: `t${n}`,
        expiresOn: new Date(now + 3_600_000).toISOString(),
        serverTime: new Date(now).toISOString(),
        scopes: ["chat"],
        acsUserId: "8:acs:r_u",
        endpoint: "",
        emulator: true,
      });
    },
  });
}

describe("which endpoints get the loopback policy", () => {
  it.each([
    ["https://127.0.0.1:10443/", true, true],
    ["https://localhost:10443", true, true],
    ["https://[::1]:10443/", true, true],
    ["https://LOCALHOST:10443/", true, true],
    ["https://127.0.0.1:10443/", false, false],
    ["https://localhost/", false, false],
    ["https://example.communication.azure.com/", true, false],
    ["https://127.0.0.2:10443/", true, false],
    ["https://localhost.example.com:10443/", true, false],
    ["http://127.0.0.1:10443/", true, false],
    ["not a url", true, false],
  ])("%s emulator=%s → %s", (endpoint, emulator, expected) => {
    expect(isLoopbackEmulatorEndpoint(endpoint, emulator)).toBe(expected);
    expect(emulatorLoopbackPolicies({ endpoint, emulator })).toHaveLength(expected ? 1 : 0);
  });

  it("rewrites only requests to the endpoint's own origin, keeping the port", async () => {
    const policy = createEmulatorLoopbackPolicy("https://localhost/");
    const sent: { url: string; insecure: boolean | undefined }[] = [];
    const next = (req: PipelineRequest) => {
      sent.push({ url: req.url, insecure: req.allowInsecureConnection });
      return Promise.resolve({
        request: req,
        status: 200,
        headers: req.headers,
      } as PipelineResponse);
    };
    for (const url of [
      "https://localhost/chat/threads?x=1",
      "https://localhost:8443/x",
      "https://example.com/x",
    ]) {
      const request = createPipelineRequest({ url });
      await policy.sendRequest(request, next);
      expect(request.url).toBe(url);
    }
    expect(sent).toEqual([
      { url: "http://localhost:443/chat/threads?x=1", insecure: true },
      { url: "https://localhost:8443/x", insecure: false },
      { url: "https://example.com/x", insecure: false },
    ]);
  });
});

describe("through the official ChatClient", () => {
  it("talks plain HTTP on the same port to a loopback emulator, across SDK retries", async () => {
    const { port, seen } = await startHttp((_req, n) =>
      n === 1
        ? { status: 503 }
        : { status: 200, body: { value: [{ id: "19:a@thread.v2", topic: "hi" }] } },
    );
    const endpoint = `https://127.0.0.1:${port}/`;
    const credential = tokenCredential([]);
    const client = new ChatClient(endpoint, credential, {
      additionalPolicies: emulatorLoopbackPolicies({ endpoint, emulator: true }),
      retryOptions: { retryDelayInMs: 1, maxRetryDelayInMs: 5 },
    });
    const threads = [];
    for await (const thread of client.listChatThreads()) threads.push(thread);
    expect(threads.map((t) => t.topic)).toEqual(["hi"]);
    expect(seen).toHaveLength(2);
    expect(seen[1]?.authorization).toBe("Bearer t1");
    credential.dispose();
  });

  it("without the emulator flag the SDK never downgrades to HTTP", async () => {
    const { port, seen } = await startHttp(() => ({ status: 200, body: { value: [] } }));
    const endpoint = `https://127.0.0.1:${port}/`;
    const credential = tokenCredential([]);
    const client = new ChatClient(endpoint, credential, {
      additionalPolicies: emulatorLoopbackPolicies({ endpoint, emulator: false }),
      retryOptions: { maxRetries: 0 },
    });
    await expect(client.listChatThreads().next()).rejects.toThrow();
    expect(seen).toHaveLength(0);
    credential.dispose();
  });

  it("on 401 forces one token refresh and retries the call once", async () => {
    const { port, seen } = await startHttp((req) =>
      req.headers.authorization === "Bearer t1"
        ? { status: 401, body: { error: { code: "TokenExpired", message: "expired" } } }
        : { status: 200, body: { value: [] } },
    );
    const endpoint = `https://127.0.0.1:${port}/`;
    const reasons: TokenFetchReason[] = [];
    const credential = tokenCredential(reasons);
    const client = new ChatClient(endpoint, credential, {
      additionalPolicies: [
        ...tokenRefreshPolicies(credential),
        ...emulatorLoopbackPolicies({ endpoint, emulator: true }),
      ],
    });
    await expect(client.listChatThreads().next()).resolves.toMatchObject({ done: true });
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer t1", "Bearer t2"]);
    expect(reasons).toEqual(["initial", "forced"]);
    // Later calls use the new token directly.
    await client.listChatThreads().next();
    expect(seen.at(-1)?.authorization).toBe("Bearer t2");
    expect(reasons).toHaveLength(2);
    credential.dispose();
  });

  it("a 401 that persists after the forced refresh reaches the caller, without a loop", async () => {
    const { port, seen } = await startHttp(() => ({
      status: 401,
      body: { error: { code: "Unauthorized", message: "no" } },
    }));
    const endpoint = `https://127.0.0.1:${port}/`;
    const reasons: TokenFetchReason[] = [];
    const credential = tokenCredential(reasons);
    const client = new ChatClient(endpoint, credential, {
      additionalPolicies: [
        ...tokenRefreshPolicies(credential),
        ...emulatorLoopbackPolicies({ endpoint, emulator: true }),
      ],
    });
    await expect(client.listChatThreads().next()).rejects.toMatchObject({ statusCode: 401 });
    expect(seen).toHaveLength(2);
    expect(reasons).toEqual(["initial", "forced"]);
    credential.dispose();
  });
});
