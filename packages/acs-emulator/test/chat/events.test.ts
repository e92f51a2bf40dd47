// The emulator-only event stream GET /emulator/chat/events (SSE), read with fetch while the official
// SDK makes the changes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSseFrames, type SseEvent } from "../support/sse";
import { startChatHarness, type ChatHarness, type ChatUser } from "./helpers";

interface EventStream {
  readonly status: number;
  readonly contentType: string | null;
  readonly events: SseEvent[];
  readonly comments: string[];
  /** Resolves once `count` events arrived; rejects if the stream ends first. */
  waitForEvents(count: number): Promise<SseEvent[]>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

let h: ChatHarness;
const streams: EventStream[] = [];

async function openStream(options: {
  token?: string;
  query?: string;
  headers?: Record<string, string>;
  harness?: ChatHarness;
}): Promise<EventStream> {
  const harness = options.harness ?? h;
  const controller = new AbortController();
  const response = await fetch(
    `${harness.emulator.httpEndpoint}emulator/chat/events${options.query ?? ""}`,
    {
      headers: {
        ...(options.token && { authorization: `Bearer ${options.token}` }),
        ...options.headers,
      },
      signal: controller.signal,
    },
  );
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const listeners = new Set<() => void>();
  let done = false;
  const notify = () => listeners.forEach((listener) => listener());
  const ended = (async () => {
    if (!response.body || response.status !== 200) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { done: finished, value } = await reader.read();
        if (finished) break;
        buffer += decoder.decode(value, { stream: true });
        buffer = readSseFrames(buffer, events, comments);
        notify();
      }
    } catch {
      // aborted by close()
    } finally {
      done = true;
      notify();
    }
  })();
  const stream: EventStream = {
    status: response.status,
    contentType: response.headers.get("content-type"),
    events,
    comments,
    ended,
    waitForEvents: (count) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (events.length >= count) {
            listeners.delete(check);
            resolve(events.slice(0, count));
          } else if (done) {
            listeners.delete(check);
            reject(
              new Error(
                `stream ended after ${events.length} of ${count} events: ${events.map((e) => e.event).join(",")}`,
              ),
            );
          }
        };
        listeners.add(check);
        check();
      }),
    close: () => controller.abort(),
  };
  if (response.status !== 200) await response.body?.cancel();
  streams.push(stream);
  return stream;
}

const kind = (u: ChatUser) => ({ kind: "communicationUser", communicationUserId: u.id });

beforeAll(async () => {
  h = await startChatHarness();
});
afterAll(async () => {
  for (const s of streams) s.close();
  await h.close();
  h.recorder.expectNoSpecViolations();
});

describe("GET /emulator/chat/events", () => {
  it("delivers every chat event kind to the participants, with the SDK event fields", async () => {
    const [alice, bob, carol] = await Promise.all([h.user(), h.user(), h.user()]);
    const aliceStream = await openStream({ token: alice.token });
    const bobStream = await openStream({ token: bob.token });
    expect(aliceStream.status).toBe(200);
    expect(aliceStream.contentType).toMatch(/^text\/event-stream/);

    const created = await alice.client.createChatThread(
      { topic: "Live" },
      { participants: [{ id: bob.identifier, displayName: "Bob" }] },
    );
    const threadId = created.chatThread?.id ?? "";
    const a = alice.client.getChatThreadClient(threadId);
    const b = bob.client.getChatThreadClient(threadId);
    const { id: messageId } = await a.sendMessage(
      { content: "hi bob" },
      { senderDisplayName: "Alice", metadata: { m: "1" } },
    );
    await a.updateMessage(messageId, { content: "hi Bob" });
    expect(await b.sendTypingNotification({ senderDisplayName: "Bob" })).toBe(true);
    await b.sendReadReceipt({ chatMessageId: messageId });
    await a.updateTopic("Live!");
    await a.addParticipants({ participants: [{ id: carol.identifier, displayName: "Carol" }] });
    await a.removeParticipant(carol.identifier);
    await a.deleteMessage(messageId);
    await alice.client.deleteChatThread(threadId);

    const aliceEvents = await aliceStream.waitForEvents(10);
    expect(aliceEvents.map((e) => e.event)).toEqual([
      "chatThreadCreated",
      "chatMessageReceived",
      "chatMessageEdited",
      "typingIndicatorReceived",
      "readReceiptReceived",
      "chatThreadPropertiesUpdated",
      "participantsAdded",
      "participantsRemoved",
      "chatMessageDeleted",
      "chatThreadDeleted",
    ]);
    const ids = aliceEvents.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of aliceEvents) expect(e.data.threadId).toBe(threadId);

    const [
      threadCreated,
      received,
      edited,
      typing,
      receipt,
      updated,
      added,
      removed,
      deleted,
      threadDeleted,
    ] = aliceEvents.map((e) => e.data);
    expect(threadCreated).toMatchObject({
      properties: { topic: "Live", metadata: {} },
      createdBy: { id: kind(alice) },
      participants: expect.arrayContaining([
        expect.objectContaining({ id: kind(bob), displayName: "Bob" }),
      ]) as unknown,
    });
    expect(received).toMatchObject({
      id: messageId,
      type: "text",
      message: "hi bob",
      metadata: { m: "1" },
      sender: kind(alice),
      senderDisplayName: "Alice",
      recipient: kind(alice),
      version: messageId,
    });
    expect(new Date(String(received?.createdOn)).toISOString()).toBe(received?.createdOn);
    expect(edited).toMatchObject({ id: messageId, message: "hi Bob", recipient: kind(alice) });
    expect(typeof edited?.editedOn).toBe("string");
    expect(typing).toMatchObject({
      sender: kind(bob),
      senderDisplayName: "Bob",
      recipient: kind(alice),
    });
    expect(typeof typing?.receivedOn).toBe("string");
    expect(receipt).toMatchObject({
      sender: kind(bob),
      chatMessageId: messageId,
      recipient: kind(alice),
    });
    expect(updated).toMatchObject({
      properties: { topic: "Live!" },
      updatedBy: { id: kind(alice) },
    });
    expect(added).toMatchObject({
      participantsAdded: [{ id: kind(carol), displayName: "Carol" }],
      addedBy: { id: kind(alice) },
    });
    expect(removed).toMatchObject({
      participantsRemoved: [{ id: kind(carol) }],
      removedBy: { id: kind(alice) },
    });
    expect(deleted).toMatchObject({ id: messageId, sender: kind(alice) });
    expect(typeof deleted?.deletedOn).toBe("string");
    expect(threadDeleted).toMatchObject({ deletedBy: { id: kind(alice) } });

    // Bob gets the same events except his own typing indicator, addressed to him.
    const bobEvents = await bobStream.waitForEvents(9);
    expect(bobEvents.map((e) => e.event)).not.toContain("typingIndicatorReceived");
    expect(bobEvents.find((e) => e.event === "chatMessageReceived")?.data.recipient).toEqual(
      kind(bob),
    );
    expect(aliceStream.comments[0]).toBe("connected");
  });

  it("sends only events of the user's threads, honours ?threadId= and accepts ?access_token=", async () => {
    const [alice, bob, stranger] = await Promise.all([h.user(), h.user(), h.user()]);
    const one =
      (
        await alice.client.createChatThread(
          { topic: "one" },
          { participants: [{ id: bob.identifier }] },
        )
      ).chatThread?.id ?? "";
    const two =
      (
        await alice.client.createChatThread(
          { topic: "two" },
          { participants: [{ id: bob.identifier }] },
        )
      ).chatThread?.id ?? "";
    const strangerStream = await openStream({ token: stranger.token });
    const filtered = await openStream({
      query: `?threadId=${encodeURIComponent(one)}&access_token=${bob.token}`,
    });
    expect(filtered.status).toBe(200);

    await alice.client.getChatThreadClient(two).sendMessage({ content: "in two" });
    const inOne = await alice.client.getChatThreadClient(one).sendMessage({ content: "in one" });
    const own = await stranger.client.createChatThread({ topic: "mine" });

    const [first] = await filtered.waitForEvents(1);
    expect(first?.data).toMatchObject({ id: inOne.id, threadId: one });
    const [strangersFirst] = await strangerStream.waitForEvents(1);
    expect(strangersFirst).toMatchObject({
      event: "chatThreadCreated",
      data: { threadId: own.chatThread?.id },
    });

    const foreign = await openStream({
      token: stranger.token,
      query: `?threadId=${encodeURIComponent(one)}`,
    });
    expect(foreign.status).toBe(403);
  });

  it("resumes after Last-Event-ID from the buffer", async () => {
    const [alice, bob] = await Promise.all([h.user(), h.user()]);
    const live = await openStream({ token: bob.token });
    const threadId =
      (
        await alice.client.createChatThread(
          { topic: "resume" },
          { participants: [{ id: bob.identifier }] },
        )
      ).chatThread?.id ?? "";
    const thread = alice.client.getChatThreadClient(threadId);
    for (const content of ["a", "b", "c"]) await thread.sendMessage({ content });
    const seen = await live.waitForEvents(4);
    const resumeAfter = seen[1]?.id ?? 0;

    const resumed = await openStream({
      token: bob.token,
      headers: { "last-event-id": String(resumeAfter) },
    });
    const replayed = await resumed.waitForEvents(2);
    expect(replayed.map((e) => e.id)).toEqual(seen.slice(2).map((e) => e.id));
    expect(replayed.map((e) => e.data.message)).toEqual(["b", "c"]);
    const byQuery = await openStream({
      token: bob.token,
      query: `?lastEventId=${seen[2]?.id ?? 0}`,
    });
    expect((await byQuery.waitForEvents(1)).map((e) => e.data.message)).toEqual(["c"]);
  });

  it("refuses missing, voip-only and malformed resume requests with ACS errors", async () => {
    const missing = await openStream({});
    expect(missing.status).toBe(401);
    const voip = await h.user(["voip"]);
    expect((await openStream({ token: voip.token })).status).toBe(403);
    const user = await h.user();
    expect(
      (await openStream({ token: user.token, headers: { "last-event-id": "abc" } })).status,
    ).toBe(400);
  });

  it("ends open streams when the user is deleted and when the emulator closes", async () => {
    const own = await startChatHarness();
    try {
      const [gone, stays] = await Promise.all([own.user(), own.user()]);
      const goneStream = await openStream({ token: gone.token, harness: own });
      const staysStream = await openStream({ token: stays.token, harness: own });
      await own.emulator.identityClient().deleteUser(gone.identifier);
      await goneStream.ended;
      await own.close();
      await staysStream.ended;
      expect(staysStream.events).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
