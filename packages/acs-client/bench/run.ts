// Delivery latency sender → receiver through the emulator's event stream and through polling,
// in one run, against an in-process emulator (HTTPS, official SDK). Baseline measured in the same
// run: the sender's own sendMessage round trip. Prints p50/p99 and ratios; never passes or fails.
//   pnpm bench            (MESSAGES=200 POLL_MESSAGES=40 POLL_INTERVAL_MS=500 to change sizes)
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { startEmulator } from "@acs-stack/acs-emulator";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { createAcsTokenCredential, createChatSession } from "../src";
import type { ChatSession, EventSourceKind, TokenResponse } from "../src";
import { benchEnv } from "./env";

const { MESSAGES, POLL_MESSAGES, POLL_INTERVAL_MS } = benchEnv;

const emulator = await startEmulator({ port: 0, inMemory: true, logLevel: "silent" });
const ca = emulator.caCertPem;
const identity = new CommunicationIdentityClient(emulator.connectionString, { tlsOptions: { ca } });

function httpsFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      String(input instanceof Request ? input.url : input),
      {
        method: init?.method ?? "GET",
        headers: Object.fromEntries(new Headers(init?.headers).entries()),
        ca,
      },
      (res) => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers))
          if (typeof v === "string") headers.set(k, v);
        resolve(
          new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, {
            status: res.statusCode ?? 0,
            headers,
          }),
        );
      },
    );
    req.on("error", reject);
    init?.signal?.addEventListener("abort", () => req.destroy(new Error("aborted")), {
      once: true,
    });
    req.end();
  });
}

async function user(name: string, events: EventSourceKind) {
  const id = await identity.createUser();
  const credential = createAcsTokenCredential({
    crossTab: false,
    fetchToken: async (): Promise<TokenResponse> => {
      const t = await identity.getToken(id, ["chat"]);
      return {
        token: t.token,
        expiresOn: t.expiresOn.toISOString(),
        scopes: ["chat"],
        acsUserId: id.communicationUserId,
        endpoint: emulator.endpoint,
        emulator: true,
        serverTime: new Date().toISOString(),
      };
    },
  });
  await credential.getToken();
  const session = await createChatSession({
    credential,
    endpoint: emulator.endpoint,
    emulator: true,
    acsUserId: id.communicationUserId,
    displayName: name,
    events,
    fetch: httpsFetch,
    pollIntervalMs: POLL_INTERVAL_MS,
    pipelineOptions: { tlsOptions: { ca } },
  });
  return { id: id.communicationUserId, credential, session };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Sends `count` messages one at a time; latency = send() → the receiver's messageReceived event. */
async function measure(receiverEvents: EventSourceKind, count: number) {
  const sender = await user("sender", "emulator-events");
  const receiver = await user("receiver", receiverEvents);
  const { threadId } = await sender.session.startChat({
    topic: `bench ${receiverEvents}`,
    participants: [{ acsUserId: receiver.id, displayName: "receiver" }],
    idempotencyKey: crypto.randomUUID(),
  });
  const senderThread = await sender.session.openThread(threadId);
  await receiver.session.openThread(threadId);
  if (receiverEvents === "emulator-events") await untilLive(receiver.session);
  const latencies: number[] = [];
  const roundTrips: number[] = [];
  const waiting = new Map<string, (at: number) => void>();
  receiver.session.onEvent((e) => {
    if (e.kind === "messageReceived" && e.message.clientMessageId)
      waiting.get(e.message.clientMessageId)?.(performance.now());
  });
  const threadClient = (await import("@azure/communication-chat")).ChatClient;
  const raw = new threadClient(emulator.endpoint, sender.credential, {
    tlsOptions: { ca },
  }).getChatThreadClient(threadId);
  for (let i = 0; i < count; i++) {
    // Baseline: the bare SDK sendMessage round trip, same process, same emulator.
    const t0 = performance.now();
    await raw.sendMessage({ content: `baseline ${i}` });
    roundTrips.push(performance.now() - t0);

    // A random pause, so a polled receiver sees sends at random points of its poll cycle
    // (sending right after each delivery would always wait a full interval).
    if (receiverEvents === "polling")
      await new Promise((r) => setTimeout(r, Math.random() * POLL_INTERVAL_MS));
    const start = performance.now();
    let clientMessageId = "";
    const arrived = new Promise<number>((resolve) => {
      clientMessageId = senderThread.send(`m${i}`);
      waiting.set(clientMessageId, resolve);
    });
    latencies.push((await arrived) - start);
    waiting.delete(clientMessageId);
  }
  await Promise.all([sender.session.close(), receiver.session.close()]);
  sender.credential.dispose();
  receiver.credential.dispose();
  return { latency: summary(latencies), baseline: summary(roundTrips) };
}

function untilLive(session: ChatSession): Promise<void> {
  return new Promise((resolve) => {
    if (session.getConnectionState() === "live") return resolve();
    const stop = session.onConnectionState((s) => s === "live" && (stop(), resolve()));
  });
}

try {
  const stream = await measure("emulator-events", MESSAGES);
  const polling = await measure("polling", POLL_MESSAGES);
  const fmt = (n: number) => `${n.toFixed(1)} ms`;
  console.log(`delivery latency sender → receiver (emulator in-process, HTTPS, official SDK)`);
  console.log(
    `baseline (bare sendMessage round trip): p50 ${fmt(stream.baseline.p50)}  p99 ${fmt(stream.baseline.p99)}  (n=${stream.baseline.n})`,
  );
  for (const [name, r] of [
    ["event stream (SSE)", stream],
    [`polling every ${POLL_INTERVAL_MS} ms`, polling],
  ] as const) {
    console.log(
      `${name.padEnd(24)} p50 ${fmt(r.latency.p50).padStart(10)}  p99 ${fmt(r.latency.p99).padStart(10)}  (n=${r.latency.n})` +
        `  ×baseline p50 ${(r.latency.p50 / r.baseline.p50).toFixed(2)}  p99 ${(r.latency.p99 / r.baseline.p99).toFixed(2)}`,
    );
  }
  console.log(
    `polling / event stream: p50 ${(polling.latency.p50 / stream.latency.p50).toFixed(1)}×  p99 ${(polling.latency.p99 / stream.latency.p99).toFixed(1)}×`,
  );
} finally {
  await emulator.close();
}
