// Token verification and scope/participant authorisation on chat calls, through the official SDK.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, failure, startChatHarness, type ChatHarness, type ChatUser } from "./helpers";

let h: ChatHarness;
let alice: ChatUser;
let bob: ChatUser;
let threadId: string;
/** The emulator's clock runs this far ahead of the real one (expiry tests move it). */
let clockOffsetMs = 0;

beforeAll(async () => {
  h = await startChatHarness({ now: () => new Date(Date.now() + clockOffsetMs) });
  [alice, bob] = await Promise.all([h.user(), h.user()]);
  const r = await alice.client.createChatThread(
    { topic: "Auth" },
    { participants: [{ id: bob.identifier }] },
  );
  threadId = r.chatThread?.id ?? "";
});
afterAll(async () => {
  await h.close();
  h.recorder.expectNoSpecViolations();
});

describe("token verification (401)", () => {
  it("rejects an expired token", async () => {
    const user = await h.user();
    const token = (
      await h.emulator
        .identityClient()
        .getToken(user.identifier, ["chat"], { tokenExpiresInMinutes: 60 })
    ).token;
    const client = h.clientFor(token);
    await collect(client.listChatThreads());
    clockOffsetMs = 61 * 60_000;
    try {
      const error = await failure(collect(client.listChatThreads()));
      expect(error.statusCode).toBe(401);
      expect(error.code).toBe("TokenExpired");
    } finally {
      clockOffsetMs = 0;
    }
    // The default 24 h token of the same user is still valid at that time.
    await collect(user.client.listChatThreads());
  });

  it("rejects a token whose payload was tampered with", async () => {
    const [header, payload, signature] = alice.token.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    const forged = Buffer.from(JSON.stringify({ ...claims, skypeid: bob.id.slice(2) })).toString(
      "base64url",
    );
    const error = await failure(
      h.clientFor(`${header}.${forged}.${signature}`).getChatThreadClient(threadId).getProperties(),
    );
    expect(error.statusCode).toBe(401);
  });

  it("rejects tokens issued before a revocation, accepts tokens issued after", async () => {
    const user = await h.user();
    await collect(user.client.listChatThreads());
    await h.emulator.identityClient().revokeTokens(user.identifier);
    expect((await failure(collect(user.client.listChatThreads()))).statusCode).toBe(401);
    const fresh = await h.tokenFor(user.id, ["chat"]);
    await collect(h.clientFor(fresh).listChatThreads());
  });

  it("rejects a missing token and removes a deleted identity from its threads", async () => {
    const response = await fetch(`${h.emulator.httpEndpoint}chat/threads?api-version=2025-03-15`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBeTruthy();

    const dave = await h.user();
    const thread = alice.client.getChatThreadClient(threadId);
    await thread.addParticipants({ participants: [{ id: dave.identifier }] });
    await h.emulator.identityClient().deleteUser(dave.identifier);
    expect((await failure(collect(dave.client.listChatThreads()))).statusCode).toBe(401);
    const ids = (await collect(thread.listParticipants())).map((p) =>
      "communicationUserId" in p.id ? p.id.communicationUserId : "",
    );
    expect(ids).not.toContain(dave.id);
  });
});

describe("scopes (403)", () => {
  it("refuses a voip-only token", async () => {
    const voip = await h.user(["voip"]);
    const error = await failure(collect(voip.client.listChatThreads()));
    expect(error.statusCode).toBe(403);
    expect(error.message).toMatch(/chat/);
  });

  it("lets chat.join chat and manage participants, but not create, update or delete threads", async () => {
    const joiner = h.clientFor(await h.tokenFor(bob.id, ["chat.join"]));
    const thread = joiner.getChatThreadClient(threadId);
    await thread.sendMessage({ content: "joined" });
    expect((await failure(joiner.createChatThread({ topic: "nope" }))).statusCode).toBe(403);
    expect((await failure(thread.updateTopic("nope"))).statusCode).toBe(403);
    expect((await failure(joiner.deleteChatThread(threadId))).statusCode).toBe(403);
    const carol = await h.user();
    await thread.addParticipants({ participants: [{ id: carol.identifier }] });
    await thread.removeParticipant(carol.identifier);
  });

  it("lets chat.join.limited chat but not add or remove participants", async () => {
    const limited = h.clientFor(await h.tokenFor(bob.id, ["chat.join.limited"]));
    const thread = limited.getChatThreadClient(threadId);
    const { id } = await thread.sendMessage({ content: "limited" });
    await thread.sendReadReceipt({ chatMessageId: id });
    const carol = await h.user();
    expect(
      (await failure(thread.addParticipants({ participants: [{ id: carol.identifier }] })))
        .statusCode,
    ).toBe(403);
    expect((await failure(thread.removeParticipant(alice.identifier))).statusCode).toBe(403);
    expect((await failure(limited.createChatThread({ topic: "nope" }))).statusCode).toBe(403);
  });
});

describe("participants only", () => {
  it("answers 403 to a non-participant and 404 for a thread that does not exist", async () => {
    const stranger = await h.user();
    const thread = stranger.client.getChatThreadClient(threadId);
    for (const call of [
      () => thread.getProperties(),
      () => thread.sendMessage({ content: "hi" }),
      () => collect(thread.listMessages()),
    ]) {
      const error = await failure(call());
      expect(error.statusCode).toBe(403);
      expect(error.code).toBe("Forbidden");
    }
    expect((await collect(stranger.client.listChatThreads())).map((t) => t.id)).not.toContain(
      threadId,
    );
    const missing = stranger.client.getChatThreadClient("19:nothing@thread.v2");
    expect((await failure(missing.getProperties())).statusCode).toBe(404);
  });
});

describe("realtime notifications config", () => {
  it.each(["chat/config/realTimeNotifications", "/chat/config/realTimeNotifications"])(
    "answers %s with a clean ACS error pointing to the event stream",
    async (path) => {
      const response = await fetch(`${h.emulator.httpEndpoint}${path}?api-version=2024-09-01`, {
        headers: { authorization: `Bearer ${alice.token}` },
      });
      expect(response.status).toBe(404);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("RealTimeNotificationsNotSupported");
      expect(body.error.message).toContain("/emulator/chat/events");
    },
  );
});
