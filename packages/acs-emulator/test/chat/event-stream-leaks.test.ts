// Attacks on the event stream: what REST hides must not come back through a replay
// (`Last-Event-ID`), and a revoked token must not keep a stream open until its next ping.
import type { ChatThreadClient } from "@azure/communication-chat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStream, type SseStream } from "../support/sse";
import { collect, startChatHarness, type ChatHarness, type ChatUser } from "./helpers";

let h: ChatHarness;
const streams: SseStream[] = [];

beforeAll(async () => {
  h = await startChatHarness();
});
afterAll(async () => {
  for (const s of streams) s.close();
  await h.close();
  h.recorder.expectNoSpecViolations();
});

interface Pair {
  alice: ChatUser;
  bob: ChatUser;
  threadId: string;
  thread: ChatThreadClient;
  /** A second thread of the two, untouched by the test, whose messages mark "replay is over". */
  marker: ChatThreadClient;
}

async function pair(): Promise<Pair> {
  const [alice, bob] = await Promise.all([h.user(), h.user()]);
  const create = async (topic: string) =>
    (
      await alice.client.createChatThread(
        { topic },
        { participants: [{ id: bob.identifier, displayName: "Bob" }] },
      )
    ).chatThread?.id ?? "";
  const threadId = await create("attacked");
  const markerId = await create("marker");
  return {
    alice,
    bob,
    threadId,
    thread: alice.client.getChatThreadClient(threadId),
    marker: alice.client.getChatThreadClient(markerId),
  };
}

/** Bob's stream resumed from the very start of the buffer, read until the whole replay arrived. */
async function replayFor(p: Pair): Promise<SseStream> {
  const stream = await openEventStream(h.emulator.httpEndpoint, {
    token: p.bob.token,
    lastEventId: 0,
  });
  streams.push(stream);
  expect(stream.status).toBe(200);
  // The replay is written before any live event, so a live event after it marks its end.
  const { id } = await p.marker.sendMessage({ content: "marker" });
  await stream.waitFor((e) => e.event === "chatMessageReceived" && e.data.id === id);
  return stream;
}

const eventsOf = (stream: SseStream, threadId: string) =>
  stream.events.filter((e) => e.data.threadId === threadId);

describe("replay applies today's state", () => {
  it("a deleted message's earlier events carry neither its text nor its metadata", async () => {
    const p = await pair();
    const { id } = await p.thread.sendMessage(
      { content: "deleted-secret-text" },
      { metadata: { note: "deleted-secret-metadata" } },
    );
    await p.thread.deleteMessage(id);
    // REST hides the content of the deleted message…
    const listed = await collect(p.bob.client.getChatThreadClient(p.threadId).listMessages());
    expect(listed.find((m) => m.id === id)?.content).toBeUndefined();

    // …and so does the replay.
    const stream = await replayFor(p);
    expect(stream.raw()).not.toContain("deleted-secret");
    const events = eventsOf(stream, p.threadId);
    expect(events.map((e) => e.event)).toEqual([
      "chatThreadCreated",
      "chatMessageReceived",
      "chatMessageDeleted",
    ]);
    expect(events[1]?.data).toMatchObject({ id, message: "", metadata: {} });
  });

  it("an edited message's earlier events carry today's text, not the original", async () => {
    const p = await pair();
    const { id } = await p.thread.sendMessage({ content: "original-secret-text" });
    await p.thread.updateMessage(id, { content: "today's text" });

    const stream = await replayFor(p);
    expect(stream.raw()).not.toContain("original-secret-text");
    const events = eventsOf(stream, p.threadId);
    expect(events.map((e) => [e.event, e.data.message])).toEqual([
      ["chatThreadCreated", undefined],
      ["chatMessageReceived", "today's text"],
      ["chatMessageEdited", "today's text"],
    ]);
  });

  it("a removed participant gets nothing of the thread", async () => {
    const p = await pair();
    await p.thread.sendMessage({ content: "said-while-bob-was-in" });
    await p.thread.removeParticipant(p.bob.identifier);

    const stream = await replayFor(p);
    expect(eventsOf(stream, p.threadId)).toEqual([]);
    expect(stream.raw()).not.toContain("said-while-bob-was-in");
    expect(stream.raw()).not.toContain(p.threadId);
  });

  it("a deleted thread replays only its deletion", async () => {
    const p = await pair();
    await p.thread.sendMessage({ content: "said-before-the-thread-was-deleted" });
    await p.alice.client.deleteChatThread(p.threadId);

    const stream = await replayFor(p);
    expect(stream.raw()).not.toContain("said-before-the-thread-was-deleted");
    expect(eventsOf(stream, p.threadId).map((e) => e.event)).toEqual(["chatThreadDeleted"]);
  });
});

describe("revocation", () => {
  /** Fails when the stream is still open `ms` after the call (the ping comes only every 15 s). */
  const endsWithin = (stream: SseStream, ms: number) =>
    Promise.race([
      stream.ended,
      new Promise((_, reject) => {
        const timer = setTimeout(() => reject(new Error(`stream still open after ${ms} ms`)), ms);
        void stream.ended.then(() => clearTimeout(timer));
      }),
    ]);

  it("revoking a user's tokens ends their open streams at once; a new token streams again", async () => {
    const p = await pair();
    const stream = await openEventStream(h.emulator.httpEndpoint, { token: p.bob.token });
    streams.push(stream);
    await stream.comment("connected");

    await h.emulator.identityClient().revokeTokens(p.bob.identifier);
    await endsWithin(stream, 3000);
    await p.thread.sendMessage({ content: "after-revocation" });
    expect(stream.raw()).not.toContain("after-revocation");

    const fresh = await openEventStream(h.emulator.httpEndpoint, {
      token: await h.tokenFor(p.bob.id, ["chat"]),
    });
    streams.push(fresh);
    const { id } = await p.thread.sendMessage({ content: "for the new token" });
    await fresh.waitFor((e) => e.data.id === id);
  });

  it("deleting a user ends their open streams at once, also one limited to a thread", async () => {
    const p = await pair();
    const stream = await openEventStream(h.emulator.httpEndpoint, {
      token: p.bob.token,
      threadId: p.threadId,
    });
    streams.push(stream);
    await stream.comment("connected");
    await h.emulator.identityClient().deleteUser(p.bob.identifier);
    await endsWithin(stream, 3000);
  });
});
