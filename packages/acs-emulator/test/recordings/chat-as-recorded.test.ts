// The Chat API answers as real ACS was recorded answering the official SDK
// (../shared/acs-recordings/chat-1.4.0-beta.2): each test names the recording (folder/file #entry).
import { ChatClient, type ChatThreadClient } from "@azure/communication-chat";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { captureAnswers, type AnswerCapture } from "./capture";

let emulator: TestEmulator;
let capture: AnswerCapture;
let thread: ChatThreadClient;
let threadId: string;
let origin: string;
let invitee: { communicationUserId: string };

beforeAll(async () => {
  emulator = await startTestEmulator();
  capture = captureAnswers();
  origin = emulator.endpoint.replace(/\/$/, "");
  const identity = emulator.identityClient();
  const { user, token } = await identity.createUserAndToken(["chat"]);
  invitee = await identity.createUser();
  const chat = new ChatClient(emulator.endpoint, new AzureCommunicationTokenCredential(token), {
    tlsOptions: { ca: emulator.caCertPem },
    additionalPolicies: [capture.policy],
    retryOptions: { maxRetries: 0 },
  });
  const created = await chat.createChatThread(
    { topic: "test topic" },
    { participants: [{ id: user }, { id: invitee }] },
  );
  threadId = created.chatThread?.id ?? "";
  thread = chat.getChatThreadClient(threadId);
});
afterAll(async () => {
  await emulator.close();
});

/** The thread id as ACS writes it in a Location: colon escaped, `@` kept. */
const inLocation = (id: string) => encodeURIComponent(id).replace(/%40/g, "@");

describe("Location headers", () => {
  it("createChatThread → 201 with Location …/chat/threads/19%3A…@thread.v2 (chatclient_chat_operations/recording_successfully_creates_a_thread.json #2)", () => {
    const created = capture.answers.find((a) => a.method === "POST" && a.status === 201);
    expect(created?.headers.location).toBe(`${origin}/chat/threads/${inLocation(threadId)}`);
  });

  it("sendMessage → 201 with Location …/messages/<id> (chatthreadclient/recording_successfully_sends_a_message.json #0)", async () => {
    const { id } = await thread.sendMessage(
      { content: "content" },
      { metadata: { tags: "sometag" } },
    );
    expect(capture.last().status).toBe(201);
    expect(capture.last().headers.location).toBe(
      `${origin}/chat/threads/${inLocation(threadId)}/messages/${id}`,
    );
  });
});

describe("body shapes", () => {
  it('a text message has senderDisplayName "" and content.attachments [] (chatthreadclient/recording_successfully_retrieves_a_message.json #0)', async () => {
    const { id } = await thread.sendMessage({ content: "content" });
    const message = await thread.getMessage(id);
    expect(message.senderDisplayName).toBe("");
    expect(message.content?.attachments).toEqual([]);
    const raw = JSON.parse(capture.last().body ?? "{}") as Record<string, unknown>;
    expect(raw.senderDisplayName).toBe("");
    expect(raw.content).toEqual({ message: "content", attachments: [] });
  });

  it("system messages have neither (chatthreadclient/recording_successfully_lists_messages_one_by_one_and_by_page.json #0)", async () => {
    for await (const message of thread.listMessages()) {
      if (message.type === "text") continue;
      expect(message.senderDisplayName).toBeUndefined();
      expect(message.content?.attachments).toBeUndefined();
    }
  });

  it("a participant added without shareHistoryTime lists 1970-01-01T00:00:00Z (chatthreadclient/recording_successfully_lists_participants.json #0)", async () => {
    const participants = [];
    for await (const p of thread.listParticipants()) participants.push(p);
    expect(participants).toHaveLength(2);
    for (const p of participants) expect(p.shareHistoryTime).toEqual(new Date(0));
    const raw = JSON.parse(capture.last().body ?? "{}") as {
      value: { shareHistoryTime: string }[];
    };
    expect(raw.value.map((p) => p.shareHistoryTime)).toEqual([
      "1970-01-01T00:00:00Z",
      "1970-01-01T00:00:00Z",
    ]);
  });
});

describe("headers", () => {
  it("Chat answers carry api-supported-versions, MS-CV, Strict-Transport-Security, X-Processing-Time, but no Request-Context or request-id echo (chatthreadclient/recording_successfully_gets_the_thread_properties.json #0)", async () => {
    await thread.getProperties();
    const { headers } = capture.last();
    expect(headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(headers["api-supported-versions"]?.split(", ")).toContain("2025-03-15");
    expect(headers["ms-cv"]).toMatch(/^[A-Za-z0-9+/]{22}\.0$/);
    expect(headers["strict-transport-security"]).toBe("max-age=2592000");
    expect(headers["x-processing-time"]).toMatch(/^\d+ms$/);
    expect(headers["request-context"]).toBeUndefined();
    expect(headers["x-ms-client-request-id"]).toBeUndefined();
  });

  it("typing and read receipts: 200 with Content-Length 0 and no Content-Type (…sends_typing_notification.json #0, …sends_read_receipt.json #0)", async () => {
    await thread.sendTypingNotification();
    expect(capture.last().status).toBe(200);
    expect(capture.last().headers["content-length"]).toBe("0");
    expect(capture.last().headers["content-type"]).toBeUndefined();
    const { id } = await thread.sendMessage({ content: "read me" });
    await thread.sendReadReceipt({ chatMessageId: id });
    expect(capture.last().status).toBe(200);
    expect(capture.last().headers["content-length"]).toBe("0");
  });

  it("updates and removals: 204 without Content-Length (…updates_the_thread_topic.json #0, …remove_a_participant.json #0)", async () => {
    await thread.updateTopic("new topic");
    expect(capture.last().status).toBe(204);
    expect(capture.last().headers["content-length"]).toBeUndefined();
    await thread.removeParticipant(invitee);
    expect(capture.last().status).toBe(204);
    expect(capture.last().headers["content-length"]).toBeUndefined();
  });
});
