// Chat thread operations through the official ChatClient over HTTPS; every response spec-validated.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  collectPages,
  failure,
  startChatHarness,
  type ChatHarness,
  type ChatUser,
} from "./helpers";

let h: ChatHarness;
let alice: ChatUser;
let bob: ChatUser;

beforeAll(async () => {
  h = await startChatHarness();
  [alice, bob] = await Promise.all([h.user(), h.user()]);
});
afterAll(async () => {
  await h.close();
  h.recorder.expectNoSpecViolations();
  expect(h.recorder.checked()).toBeGreaterThan(10);
});

describe("createChatThread", () => {
  it("creates a thread with its properties, participants and the creator", async () => {
    const result = await alice.client.createChatThread(
      { topic: "Lunch" },
      {
        participants: [{ id: bob.identifier, displayName: "Bob" }],
        metadata: { team: "blue" },
        retentionPolicy: { kind: "threadCreationDate", deleteThreadAfterDays: 40 },
      },
    );
    const thread = result.chatThread;
    expect(thread?.id).toMatch(/^19:[^:@]+@thread\.v2$/);
    expect(thread?.topic).toBe("Lunch");
    expect(thread?.createdBy).toEqual({ kind: "communicationUser", communicationUserId: alice.id });
    expect(thread?.metadata).toEqual({ team: "blue" });
    expect(thread?.retentionPolicy).toEqual({
      kind: "threadCreationDate",
      deleteThreadAfterDays: 40,
    });
    expect(Math.abs((thread?.createdOn.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(result.invalidParticipants).toBeUndefined();

    const participants = [];
    for await (const p of alice.client.getChatThreadClient(thread?.id ?? "").listParticipants())
      participants.push(p);
    expect(participants.map((p) => p.id)).toEqual(
      expect.arrayContaining([
        { kind: "communicationUser", communicationUserId: alice.id },
        { kind: "communicationUser", communicationUserId: bob.id },
      ]),
    );
    expect(
      participants.find((p) => "communicationUserId" in p.id && p.id.communicationUserId === bob.id)
        ?.displayName,
    ).toBe("Bob");
  });

  it("reports unknown identities as invalidParticipants and still creates the thread", async () => {
    const ghost = `8:acs:${h.emulator.resourceId}_ghost-${randomUUID()}`;
    const result = await alice.client.createChatThread(
      { topic: "With a ghost" },
      { participants: [{ id: { communicationUserId: ghost } }, { id: bob.identifier }] },
    );
    expect(result.chatThread?.id).toBeTruthy();
    expect(result.invalidParticipants).toHaveLength(1);
    expect(result.invalidParticipants?.[0]?.target).toBe(ghost);
    expect(result.invalidParticipants?.[0]?.code).toBeTruthy();
  });

  it("replays the original 201 for the same repeatability-request-id and user, without a second thread", async () => {
    const idempotencyToken = randomUUID();
    const first = await alice.client.createChatThread({ topic: "Once" }, { idempotencyToken });
    const again = await alice.client.createChatThread(
      { topic: "Once, again" },
      { idempotencyToken },
    );
    expect(again.chatThread?.id).toBe(first.chatThread?.id);
    expect(again.chatThread?.topic).toBe("Once");
    const otherUser = await bob.client.createChatThread({ topic: "Bob's" }, { idempotencyToken });
    expect(otherUser.chatThread?.id).not.toBe(first.chatThread?.id);
    const fresh = await alice.client.createChatThread({ topic: "Once" });
    expect(fresh.chatThread?.id).not.toBe(first.chatThread?.id);

    const concurrentToken = randomUUID();
    const racing = await Promise.all(
      [1, 2, 3].map(() =>
        alice.client.createChatThread({ topic: "Race" }, { idempotencyToken: concurrentToken }),
      ),
    );
    expect(new Set(racing.map((r) => r.chatThread?.id)).size).toBe(1);
  });

  it("requires a topic (400)", async () => {
    const error = await failure(alice.client.createChatThread({ topic: "  " }));
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/topic/);
  });

  it("answers 201 with a Location header for the new thread", async () => {
    const response = await fetch(`${h.emulator.httpEndpoint}chat/threads?api-version=2025-03-15`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.token}`, "content-type": "application/json" },
      body: JSON.stringify({ topic: "Raw" }),
    });
    const text = await response.text();
    h.recorder.record("POST", response.url, response.status, text);
    expect(response.status).toBe(201);
    const body = JSON.parse(text) as { chatThread: { id: string } };
    expect(response.headers.get("location")).toBe(
      // ACS escapes the colon but keeps "@" (chat-1.4.0-beta.2 …/recording_successfully_creates_a_thread.json).
      `https://${new URL(h.emulator.httpEndpoint).host}/chat/threads/${encodeURIComponent(body.chatThread.id).replace("%40", "@")}`,
    );
  });

  it("rejects an unsupported api-version (400)", async () => {
    const response = await fetch(`${h.emulator.httpEndpoint}chat/threads?api-version=2021-09-07`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(400);
    expect(body.error.message).toMatch(/2025-03-15/);
  });
});

describe("listChatThreads", () => {
  it("pages with maxPageSize through nextLink, newest activity first, and filters by startTime", async () => {
    const carol = await h.user();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await carol.client.createChatThread({ topic: `t${i}` });
      ids.push(r.chatThread?.id ?? "");
    }
    const { items, sizes } = await collectPages(
      carol.client.listChatThreads({ maxPageSize: 2 }).byPage(),
    );
    expect(sizes).toEqual([2, 2, 1]);
    expect(new Set(items.map((t) => t.id))).toEqual(new Set(ids));
    expect(items.map((t) => t.topic)).toEqual(["t4", "t3", "t2", "t1", "t0"]);

    const future = new Date(Date.now() + 60_000);
    const none = await collectPages(carol.client.listChatThreads({ startTime: future }).byPage());
    expect(none.items).toEqual([]);
    // Activity moves a thread to the front and makes it pass a later startTime.
    const before = new Date(Date.now() - 1);
    await carol.client.getChatThreadClient(ids[0] ?? "").sendMessage({ content: "bump" });
    const recent = await collectPages(carol.client.listChatThreads({ startTime: before }).byPage());
    expect(recent.items[0]?.id).toBe(ids[0]);
    expect(recent.items[0]?.lastMessageReceivedOn).toBeInstanceOf(Date);
  });
});

describe("getProperties / updateTopic / updateProperties / deleteChatThread", () => {
  it("reads, updates (merge-patch, topicUpdated system message) and deletes a thread", async () => {
    const created = await alice.client.createChatThread(
      { topic: "Before" },
      { participants: [{ id: bob.identifier }] },
    );
    const threadId = created.chatThread?.id ?? "";
    const thread = alice.client.getChatThreadClient(threadId);

    const props = await thread.getProperties();
    expect(props).toMatchObject({
      id: threadId,
      topic: "Before",
      createdBy: { communicationUserId: alice.id },
    });

    await thread.updateTopic("After");
    await thread.updateProperties({ metadata: { a: "1" }, retentionPolicy: { kind: "none" } });
    const updated = await bob.client.getChatThreadClient(threadId).getProperties();
    expect(updated.topic).toBe("After");
    expect(updated.metadata).toEqual({ a: "1" });
    expect(updated.retentionPolicy).toEqual({ kind: "none" });

    const topicMessages = [];
    for await (const m of thread.listMessages())
      if (m.type === "topicUpdated") topicMessages.push(m);
    expect(topicMessages[0]?.content?.topic).toBe("After");
    expect(topicMessages[0]?.content?.initiator).toEqual({
      kind: "communicationUser",
      communicationUserId: alice.id,
    });

    const empty = await failure(thread.updateTopic(""));
    expect(empty.statusCode).toBe(400);

    await alice.client.deleteChatThread(threadId);
    const gone = await failure(thread.getProperties());
    expect(gone.statusCode).toBe(404);
    const listed = await collectPages(alice.client.listChatThreads().byPage());
    expect(listed.items.find((t) => t.id === threadId)?.deletedOn).toBeInstanceOf(Date);
  });

  it("answers 404 for a thread that does not exist", async () => {
    const error = await failure(
      alice.client.getChatThreadClient("19:missing@thread.v2").getProperties(),
    );
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe("NotFound");
  });
});
