// Two users chatting through two sessions against the real emulator and real procedures:
// 200 messages both ways, a token refresh mid-stream and an emulator restart (same port,
// persisted data dir); every message must arrive exactly once, in order.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAcsTokenCredential, createChatSession } from "../src";
import type {
  AcsTokenCredential,
  ChatMessageView,
  ChatSession,
  ChatSessionEvent,
  ChatThreadHandle,
} from "../src";
import type { TestStack } from "./helpers/stack";
import { fetchTokenFor, httpsFetchTrusting, startStack } from "./helpers/stack";

let stack: TestStack;
let dataDir: string;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "acs-client-chat-"));
  stack = await startStack({ dataDir });
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await stack?.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface Participant {
  acsUserId: string;
  displayName: string;
  credential: AcsTokenCredential;
  session: ChatSession;
  events: ChatSessionEvent[];
}

async function participant(name: string): Promise<Participant> {
  const { caller, user } = await stack.createUser(name);
  const credential = createAcsTokenCredential({
    fetchToken: fetchTokenFor(caller),
    crossTab: false,
  });
  const token = await credential.getToken();
  expect(token.token).toBeTruthy();
  const snapshot = credential.getSnapshot();
  const session = await createChatSession({
    credential,
    endpoint: snapshot.endpoint!,
    emulator: snapshot.emulator!,
    acsUserId: snapshot.acsUserId!,
    displayName: user.name ?? name,
    events: "emulator-events",
    fetch: httpsFetchTrusting(stack.emulator.caCertPem),
    pipelineOptions: {
      tlsOptions: { ca: stack.emulator.caCertPem },
      retryOptions: { maxRetries: 1, retryDelayInMs: 50, maxRetryDelayInMs: 200 },
    },
    retry: { initialMs: 50, maxMs: 500 },
    pollIntervalMs: 500,
  });
  const events: ChatSessionEvent[] = [];
  session.onEvent((e) => events.push(e));
  cleanups.push(async () => {
    await session.close();
    credential.dispose();
  });
  return {
    acsUserId: snapshot.acsUserId!,
    displayName: user.name ?? name,
    credential,
    session,
    events,
  };
}

/** Resolves when `predicate` holds for the thread's state (checked on every change). */
function until(thread: ChatThreadHandle, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate()) return resolve();
    const stop = thread.subscribe(() => {
      if (predicate()) {
        stop();
        resolve();
      }
    });
  });
}

const texts = (messages: readonly ChatMessageView[]) => messages.filter((m) => m.type === "text");

it("startChat is idempotent: a retried click with the same key gives the same thread", async () => {
  const alice = await participant("alice1");
  const bob = await participant("bob1");
  const input = {
    topic: "once",
    participants: [{ acsUserId: bob.acsUserId, displayName: bob.displayName }],
    idempotencyKey: crypto.randomUUID(),
  };
  const [a, b] = await Promise.all([
    alice.session.startChat(input),
    alice.session.startChat(input),
  ]);
  const c = await alice.session.startChat(input);
  expect(new Set([a.threadId, b.threadId, c.threadId]).size).toBe(1);
  const threads = await bob.session.listThreads();
  expect(threads.filter((t) => t.topic === "once")).toHaveLength(1);
});

it("200 messages both ways survive a token refresh and an emulator restart: exactly once, in order", async () => {
  const alice = await participant("alice");
  const bob = await participant("bob");
  const { threadId } = await alice.session.startChat({
    topic: "load",
    participants: [{ acsUserId: bob.acsUserId, displayName: bob.displayName }],
    idempotencyKey: crypto.randomUUID(),
  });
  const aliceThread = await alice.session.openThread(threadId);
  const bobThread = await bob.session.openThread(threadId);
  await until(aliceThread, () => alice.session.getConnectionState() === "live");
  const aliceStates: string[] = [];
  alice.session.onConnectionState((state) => aliceStates.push(state));
  const fetchesBefore = alice.credential.getSnapshot().fetchCount;

  const total = 200;
  const sent: { from: "alice" | "bob"; text: string }[] = [];
  let restarted: Promise<void> | undefined;
  for (let i = 0; i < total; i++) {
    const from = i % 3 === 0 ? "bob" : "alice"; // uneven, so both directions interleave differently
    const text = `m${i} from ${from}`;
    sent.push({ from, text });
    (from === "alice" ? aliceThread : bobThread).send(text);
    if (i === 60) {
      // Token refresh mid-stream, on both sides, while messages are in flight.
      const [a, b] = await Promise.all([
        alice.credential.forceRefresh(),
        bob.credential.forceRefresh(),
      ]);
      expect(a.token).not.toBe("");
      expect(b.token).not.toBe("");
    }
    if (i === 120) restarted = stack.restartEmulator(); // in flight, not awaited
    if (i % 20 === 19) await Promise.resolve();
  }
  await restarted;
  const announced = (events: ChatSessionEvent[]) =>
    events.filter(
      (e) => e.kind === "messageReceived" && e.threadId === threadId && e.message.type === "text",
    ).length;
  const complete = (thread: ChatThreadHandle, events: ChatSessionEvent[]) => () => {
    const ms = texts(thread.getMessages());
    return ms.length >= total && ms.every((m) => m.status === "sent") && announced(events) >= total;
  };
  await Promise.all([
    until(aliceThread, complete(aliceThread, alice.events)),
    until(bobThread, complete(bobThread, bob.events)),
  ]);
  await Promise.all([aliceThread.whenOutboxEmpty(), bobThread.whenOutboxEmpty()]);

  for (const [who, thread, events] of [
    ["alice", aliceThread, alice.events],
    ["bob", bobThread, bob.events],
  ] as const) {
    const messages = texts(thread.getMessages());
    // Exactly once: 200 distinct server ids, every text once.
    expect(messages, who).toHaveLength(total);
    expect(new Set(messages.map((m) => m.id)).size, who).toBe(total);
    expect(new Set(messages.map((m) => m.content)), who).toEqual(new Set(sent.map((s) => s.text)));
    // In order: by sequence, and each sender's messages in the order they were sent.
    const sequence = messages.map((m) => Number(m.sequenceId ?? m.id));
    for (const from of ["alice", "bob"] as const) {
      const theirs = messages
        .filter((m) => m.content.endsWith(`from ${from}`))
        .map((m) => m.content);
      expect(theirs, `${who} sees ${from}'s messages in send order`).toEqual(
        sent.filter((s) => s.from === from).map((s) => s.text),
      );
    }
    expect(
      messages.map((m) => m.id),
      who,
    ).toEqual([...messages].sort((a, b) => Number(a.id) - Number(b.id)).map((m) => m.id));
    expect(sequence.length).toBe(total);
    // The typed event stream delivered each message exactly once, in order.
    const received = events.filter(
      (e): e is Extract<ChatSessionEvent, { kind: "messageReceived" }> =>
        e.kind === "messageReceived" && e.threadId === threadId && e.message.type === "text",
    );
    expect(received.map((e) => e.message.id).sort(), who).toEqual(messages.map((m) => m.id).sort());
    const receivedKeys = received.map((e) => Number(e.message.id));
    expect(receivedKeys, `${who} events in order`).toEqual([...receivedKeys].sort((a, b) => a - b));
  }
  // The stream really dropped and came back, and the token really was replaced.
  expect(aliceStates).toContain("reconnecting");
  await new Promise<void>((resolve) => {
    if (alice.session.getConnectionState() === "live") return resolve();
    const stop = alice.session.onConnectionState(
      (state) => state === "live" && (stop(), resolve()),
    );
  });
  expect(alice.credential.getSnapshot().fetchCount).toBeGreaterThan(fetchesBefore);
  // Both sides agree on the conversation.
  expect(texts(aliceThread.getMessages()).map((m) => m.id)).toEqual(
    texts(bobThread.getMessages()).map((m) => m.id),
  );
});
