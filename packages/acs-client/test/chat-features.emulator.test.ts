// Chat session features against the real emulator and procedures: edit, delete, typing with the
// SDK's throttle, read receipts, participants, history paging, polling, revocation.
import { ChatClient } from "@azure/communication-chat";
import type { ChatClientOptions } from "@azure/communication-chat";
import { RestError } from "@azure/core-rest-pipeline";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createAcsTokenCredential,
  createChatSession,
  TokenRevokedError,
  tokenRefreshPolicies,
  UNKNOWN_PARTICIPANT_NAME,
} from "../src";
import type {
  AcsTokenCredential,
  ChatSession,
  ChatSessionEvent,
  ChatThreadHandle,
  EventSourceKind,
} from "../src";
import type { Caller, TestStack } from "./helpers/stack";
import { fetchTokenFor, httpsFetchTrusting, startStack } from "./helpers/stack";

let stack: TestStack;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await stack?.close();
});

interface Person {
  acsUserId: string;
  displayName: string;
  caller: Caller;
  credential: AcsTokenCredential;
  session: ChatSession;
  events: ChatSessionEvent[];
}

async function person(
  name: string,
  events: EventSourceKind = "emulator-events",
  historyPageSize = 50,
  extraPolicies: NonNullable<ChatClientOptions["additionalPolicies"]> = [],
  pollIntervalMs = 100,
  eventFetch: typeof fetch = httpsFetchTrusting(stack.emulator.caCertPem),
): Promise<Person> {
  return personWith(name, events, historyPageSize, extraPolicies, pollIntervalMs, eventFetch);
}

async function personWith(
  name: string,
  events: EventSourceKind,
  historyPageSize: number,
  extraPolicies: NonNullable<ChatClientOptions["additionalPolicies"]>,
  pollIntervalMs: number,
  eventFetch: typeof fetch,
): Promise<Person> {
  const { caller } = await stack.createUser(name);
  const credential = createAcsTokenCredential({
    fetchToken: fetchTokenFor(caller),
    crossTab: false,
  });
  await credential.getToken();
  const s = credential.getSnapshot();
  const session = await createChatSession({
    credential,
    endpoint: s.endpoint!,
    emulator: s.emulator!,
    acsUserId: s.acsUserId!,
    displayName: name,
    events,
    fetch: eventFetch,
    pipelineOptions: {
      tlsOptions: { ca: stack.emulator.caCertPem },
      retryOptions: { maxRetries: 0 },
      additionalPolicies: extraPolicies,
    },
    retry: { initialMs: 20, maxMs: 200 },
    pollIntervalMs,
    historyPageSize,
  });
  const log: ChatSessionEvent[] = [];
  session.onEvent((e) => log.push(e));
  cleanups.push(async () => {
    await session.close();
    credential.dispose();
  });
  return { acsUserId: s.acsUserId!, displayName: name, caller, credential, session, events: log };
}

function until(thread: ChatThreadHandle, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate()) return resolve();
    const stop = thread.subscribe(() => predicate() && (stop(), resolve()));
  });
}

function eventually(
  session: ChatSession,
  events: ChatSessionEvent[],
  predicate: (e: ChatSessionEvent) => boolean,
): Promise<ChatSessionEvent> {
  return new Promise((resolve) => {
    const found = events.find(predicate);
    if (found) return resolve(found);
    const stop = session.onEvent((e) => predicate(e) && (stop(), resolve(e)));
  });
}

async function chatBetween(a: Person, b: Person, topic = "features") {
  const { threadId } = await a.session.startChat({
    topic,
    participants: [{ acsUserId: b.acsUserId, displayName: b.displayName }],
    idempotencyKey: crypto.randomUUID(),
  });
  return {
    threadId,
    at: await a.session.openThread(threadId),
    bt: await b.session.openThread(threadId),
  };
}

it("a sent message shows at once as pending with its client id, then as sent", async () => {
  const alice = await person("alice");
  const bob = await person("bob");
  const { at } = await chatBetween(alice, bob);
  const clientMessageId = at.send("hello");
  const pending = at.getMessages().find((m) => m.clientMessageId === clientMessageId);
  expect(pending).toMatchObject({
    status: "pending",
    id: `local:${clientMessageId}`,
    content: "hello",
    mine: true,
  });
  await until(at, () =>
    at.getMessages().some((m) => m.clientMessageId === clientMessageId && m.status === "sent"),
  );
  const sent = at.getMessages().find((m) => m.clientMessageId === clientMessageId)!;
  expect(sent.id).toMatch(/^\d+$/);
  expect(sent.metadata.clientMessageId).toBe(clientMessageId);
});

it("edit and delete reach the other participant", async () => {
  const alice = await person("alice");
  const bob = await person("bob");
  const { at, bt, threadId } = await chatBetween(alice, bob);
  at.send("first draft");
  await until(bt, () => bt.getMessages().some((m) => m.content === "first draft"));
  const id = bt.getMessages().find((m) => m.content === "first draft")!.id;
  await at.edit(id, "final");
  await until(bt, () => bt.getMessages().find((m) => m.id === id)?.content === "final");
  expect(bt.getMessages().find((m) => m.id === id)?.editedOn).toBeInstanceOf(Date);
  await eventually(
    bob.session,
    bob.events,
    (e) => e.kind === "messageEdited" && e.threadId === threadId,
  );
  await at.delete(id);
  await until(bt, () => bt.getMessages().find((m) => m.id === id)?.deletedOn !== undefined);
  await eventually(
    bob.session,
    bob.events,
    (e) => e.kind === "messageDeleted" && e.messageId === id,
  );
});

it("typing respects the SDK's 8 s throttle and shows the typing user to the other side", async () => {
  const alice = await person("alice");
  const bob = await person("bob");
  const { at, bt } = await chatBetween(alice, bob);
  await expect(at.sendTyping()).resolves.toBe(true);
  await expect(at.sendTyping()).resolves.toBe(false); // within 8 s: nothing sent
  await until(bt, () => bt.getState().typingUsers.some((u) => u.acsUserId === alice.acsUserId));
  expect(at.getState().typingUsers).toEqual([]);
});

it("read receipts mark the reader on the sender's messages", async () => {
  const alice = await person("alice");
  const bob = await person("bob");
  const { at, bt } = await chatBetween(alice, bob);
  at.send("did you read this?");
  await until(bt, () => bt.getMessages().some((m) => m.content === "did you read this?"));
  const id = bt.getMessages().find((m) => m.content === "did you read this?")!.id;
  await bt.markRead(id);
  await until(
    at,
    () =>
      at
        .getMessages()
        .find((m) => m.id === id)
        ?.readBy.includes(bob.acsUserId) ?? false,
  );
});

it("participants can be added and removed, and the others are told", async () => {
  const alice = await person("alice");
  const bob = await person("bob");
  const carol = await person("carol");
  const { at, bt, threadId } = await chatBetween(alice, bob);
  await at.addParticipants([{ acsUserId: carol.acsUserId, displayName: "carol" }]);
  await until(bt, () => bt.getState().participants.some((p) => p.acsUserId === carol.acsUserId));
  const carolThread = await carol.session.openThread(threadId);
  expect(
    carolThread
      .getState()
      .participants.map((p) => p.acsUserId)
      .sort(),
  ).toEqual([alice.acsUserId, bob.acsUserId, carol.acsUserId].sort());
  await at.removeParticipant(carol.acsUserId);
  await until(bt, () => !bt.getState().participants.some((p) => p.acsUserId === carol.acsUserId));
  await eventually(
    bob.session,
    bob.events,
    (e) => e.kind === "participantsRemoved" && e.threadId === threadId,
  );
});

it("history pages backwards until the start of the thread", async () => {
  const alice = await person("alice");
  const bob = await person("bob");
  const { at, threadId } = await chatBetween(alice, bob);
  for (let i = 0; i < 25; i++) at.send(`h${i}`);
  await at.whenOutboxEmpty();
  // A third user, added later, reads the history 10 messages at a time (no polls meanwhile: a poll
  // would fetch the recent messages itself).
  const reader = await person("reader", "polling", 10, [], 3_600_000);
  await at.addParticipants([{ acsUserId: reader.acsUserId, displayName: "reader" }]);
  const rt = await reader.session.openThread(threadId);
  const texts = () =>
    rt
      .getMessages()
      .filter((m) => m.type === "text")
      .map((m) => m.content);
  expect(texts().length).toBeLessThanOrEqual(10);
  while (await rt.loadOlder()) {
    /* next page */
  }
  expect(texts()).toEqual(Array.from({ length: 25 }, (_, i) => `h${i}`));
  expect(rt.getState().hasOlder).toBe(false);
});

it("polling delivers messages when push is not used", async () => {
  const alice = await person("alice");
  const bob = await person("bob", "polling");
  expect(bob.session.eventSource).toBe("polling");
  const { at, bt, threadId } = await chatBetween(alice, bob);
  at.send("by polling");
  await until(bt, () => bt.getMessages().some((m) => m.content === "by polling"));
  await eventually(
    bob.session,
    bob.events,
    (e) =>
      e.kind === "messageReceived" && e.threadId === threadId && e.message.content === "by polling",
  );
  expect(bob.session.getConnectionState()).toBe("polling");
});

it("after revocation a queued message fails with TokenRevokedError instead of retrying forever", async () => {
  const alice = await person("alice");
  const bob = await person("bob");
  const { at } = await chatBetween(alice, bob);
  await alice.caller.acs.token.revoke();
  const clientMessageId = at.send("too late");
  await until(at, () =>
    at.getMessages().some((m) => m.clientMessageId === clientMessageId && m.status === "failed"),
  );
  const failed = at.getMessages().find((m) => m.clientMessageId === clientMessageId)!;
  expect(failed.error).toBeInstanceOf(TokenRevokedError);
  expect(alice.credential.getSnapshot().status).toBe("revoked");
});

it("a send whose answer is lost is not sent again: the outbox finds it by its client message id", async () => {
  // Network fault injection: the first message POST reaches the emulator, then its answer is lost.
  let dropped = 0;
  const loseFirstAnswer = {
    position: "perCall" as const,
    policy: {
      name: "loseFirstSendAnswer",
      async sendRequest(...[request, next]: Parameters<PipelinePolicy["sendRequest"]>) {
        const response = await next(request);
        if (request.method === "POST" && /\/messages\?/.test(request.url) && dropped === 0) {
          dropped += 1;
          throw new RestError("socket hang up", { code: "ECONNRESET" });
        }
        return response;
      },
    },
  };
  const alice = await person("alice", "polling", 50, [loseFirstAnswer]);
  const bob = await person("bob");
  const { at, bt } = await chatBetween(alice, bob);
  const clientMessageId = at.send("exactly once");
  await until(at, () =>
    at.getMessages().some((m) => m.clientMessageId === clientMessageId && m.status === "sent"),
  );
  await at.whenOutboxEmpty();
  expect(dropped).toBe(1);
  await until(bt, () => bt.getMessages().some((m) => m.content === "exactly once"));
  // On the server: one message with that client id.
  const onServer = [];
  const client = (await import("@azure/communication-chat")).ChatClient;
  const reader = new client(stack.emulator.endpoint, bob.credential, {
    tlsOptions: { ca: stack.emulator.caCertPem },
  });
  for await (const m of reader.getChatThreadClient(at.threadId).listMessages()) {
    if (m.metadata?.clientMessageId === clientMessageId) onServer.push(m.id);
  }
  expect(onServer).toHaveLength(1);
  expect(at.getMessages().filter((m) => m.clientMessageId === clientMessageId)).toHaveLength(1);
});

it("a dropped event stream resumes with Last-Event-ID; nothing is lost or repeated", async () => {
  // Network fault injection: the first stream breaks after 5 message events.
  const inner = httpsFetchTrusting(stack.emulator.caCertPem);
  const requests: Headers[] = [];
  let lastIdBeforeCut: string | undefined;
  let cut = false;
  const cuttingFetch: typeof fetch = async (input, init) => {
    requests.push(new Headers(init?.headers));
    const response = await inner(input, init);
    if (cut || !response.body) return response;
    cut = true;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let seen = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await reader.read();
        if (done) return controller.close();
        controller.enqueue(value);
        const text = decoder.decode(value);
        for (const match of text.matchAll(/id: (\d+)\nevent: chatMessageReceived/g)) {
          seen += 1;
          lastIdBeforeCut = match[1];
        }
        if (seen >= 5) {
          controller.error(new Error("network dropped"));
          void reader.cancel();
        }
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  const alice = await person("alice");
  const bob = await person("bob", "emulator-events", 50, [], 60_000, cuttingFetch);
  const { at, bt, threadId } = await chatBetween(alice, bob);
  for (let i = 0; i < 15; i++) at.send(`r${i}`);
  await until(bt, () => bt.getMessages().filter((m) => m.type === "text").length === 15);
  const received = bob.events.filter(
    (e) => e.kind === "messageReceived" && e.threadId === threadId && e.message.type === "text",
  );
  expect(received.map((e) => (e.kind === "messageReceived" ? e.message.content : ""))).toEqual(
    Array.from({ length: 15 }, (_, i) => `r${i}`),
  );
  expect(requests.length).toBeGreaterThanOrEqual(2);
  expect(lastIdBeforeCut).toBeDefined();
  expect(requests[1]?.get("last-event-id")).toBe(lastIdBeforeCut);
});

it("the sender's name comes from the participant list, never from the name the sender chose", async () => {
  const alice = await person("alice");
  const dave = await person("dave");
  const { threadId } = await alice.session.startChat({
    topic: "names",
    participants: [{ acsUserId: dave.acsUserId, displayName: "Dave" }],
    idempotencyKey: crypto.randomUUID(),
  });
  const at = await alice.session.openThread(threadId);
  // Dave talks to ACS through the official SDK directly and claims to be someone else.
  const daveThread = new ChatClient(stack.emulator.endpoint, dave.credential, {
    tlsOptions: { ca: stack.emulator.caCertPem },
    retryOptions: { maxRetries: 0 },
    additionalPolicies: tokenRefreshPolicies(dave.credential),
  }).getChatThreadClient(threadId);
  await daveThread.sendMessage(
    { content: "please reset your password" },
    { senderDisplayName: "Alice (admin)" },
  );
  await daveThread.sendTypingNotification({ senderDisplayName: "Alice (admin)" });
  const forged = () => at.getMessages().find((m) => m.content === "please reset your password");
  await until(at, () => forged() !== undefined && at.getState().typingUsers.length > 0);
  expect(forged()).toMatchObject({ senderId: dave.acsUserId, senderName: "Dave", mine: false });
  expect(at.getState().typingUsers).toMatchObject([{ acsUserId: dave.acsUserId, name: "Dave" }]);
  expect(at.getState().messages.find((m) => m.id === forged()!.id)?.senderName).toBe("Dave");
  const received = await eventually(
    alice.session,
    alice.events,
    (e) => e.kind === "messageReceived" && e.message.content === "please reset your password",
  );
  expect(received).toMatchObject({ message: { senderName: "Dave" } });

  // Her own messages carry her own name.
  const mine = at.send("who are you?");
  expect(at.getMessages().find((m) => m.clientMessageId === mine)).toMatchObject({
    senderName: "alice",
    mine: true,
  });

  // Removed from the thread, Dave is no longer anyone the list vouches for: a neutral label,
  // still not the name he chose.
  await at.removeParticipant(dave.acsUserId);
  expect(forged()?.senderName).toBe(UNKNOWN_PARTICIPANT_NAME);
  expect(UNKNOWN_PARTICIPANT_NAME).toBe("Unknown participant");
  // Added back under the name the adder gives him, his messages follow the list.
  await at.addParticipants([{ acsUserId: dave.acsUserId, displayName: "Dave (guest)" }]);
  expect(forged()?.senderName).toBe("Dave (guest)");
});
