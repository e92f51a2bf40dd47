// The event hub's schedule (keep-alive pings every 15 s, re-authorisation at each ping) over a real
// HTTP response, with fake interval timers only.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { createEventHub, PING_INTERVAL_MS, type EventHub } from "../../src/chat/events";

let server: http.Server;
let hub: EventHub;
let authorised = true;
/** What the stream route read before verifying the token (undefined: no revocation check). */
let closeCountBefore: number | undefined;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
  authorised = true;
  closeCountBefore = undefined;
  hub = createEventHub({ now: () => new Date(), threads: new Map() });
  server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    hub.subscribe({
      userId: "8:acs:r_u",
      res,
      stillAuthorised: () => Promise.resolve(authorised),
      closeCountBefore,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterEach(async () => {
  hub.close();
  vi.useRealTimers();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function connect(): Promise<{
  chunks: string[];
  next: () => Promise<string>;
  ended: Promise<void>;
}> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve) => {
    http.get({ host: "127.0.0.1", port, path: "/" }, (res) => {
      res.setEncoding("utf8");
      const chunks: string[] = [];
      const waiting: ((chunk: string) => void)[] = [];
      res.on("data", (chunk: string) => {
        const waiter = waiting.shift();
        if (waiter) waiter(chunk);
        else chunks.push(chunk);
      });
      const ended = new Promise<void>((done) => res.on("end", done));
      const next = () => {
        const chunk = chunks.shift();
        return chunk !== undefined
          ? Promise.resolve(chunk)
          : new Promise<string>((r) => waiting.push(r));
      };
      resolve({ chunks, next, ended });
    });
  });
}

it("sends ': ping' every 15 s and ends the stream once the token is no longer valid", async () => {
  const client = await connect();
  expect(await client.next()).toBe(": connected\n\n");
  vi.advanceTimersByTime(PING_INTERVAL_MS - 1);
  hub.publish("chatMessageReceived", "19:t@thread.v2", ["8:acs:r_u"], { id: "1" });
  const event = await client.next();
  expect(event).toMatch(/^id: \d+\nevent: chatMessageReceived\ndata: /);
  expect(JSON.parse(event.split("data: ")[1] ?? "{}")).toMatchObject({
    id: "1",
    threadId: "19:t@thread.v2",
    recipient: { kind: "communicationUser", communicationUserId: "8:acs:r_u" },
  });
  vi.advanceTimersByTime(1);
  expect(await client.next()).toBe(": ping\n\n");
  vi.advanceTimersByTime(PING_INTERVAL_MS);
  expect(await client.next()).toBe(": ping\n\n");

  authorised = false;
  vi.advanceTimersByTime(PING_INTERVAL_MS);
  await client.ended;
});

it("does not deliver events addressed to other users", async () => {
  const client = await connect();
  expect(await client.next()).toBe(": connected\n\n");
  hub.publish("chatMessageReceived", "19:t@thread.v2", ["8:acs:r_other"], { id: "1" });
  hub.publish("participantsAdded", "19:t@thread.v2", ["8:acs:r_u"], { version: "2" });
  const event = await client.next();
  expect(event).toContain("event: participantsAdded");
  expect(event).not.toContain("recipient");
});

it("a revocation while the stream was being authorised ends it before anything is sent", async () => {
  closeCountBefore = hub.closeCount();
  // The revocation lands after the token check, before the stream subscribes.
  hub.closeUser("8:acs:r_u");
  authorised = false;
  const client = await connect();
  await client.ended;
  expect(client.chunks).toEqual([]);
});

it("a revocation of another user meanwhile costs one more token check, not the stream", async () => {
  closeCountBefore = hub.closeCount();
  hub.closeUser("8:acs:r_other");
  const client = await connect();
  expect(await client.next()).toBe(": connected\n\n");
});
