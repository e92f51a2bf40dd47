// Bad input the SDK would never send (raw requests): every case is a clear ACS error, never a crash.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startChatHarness, type ChatHarness, type ChatUser } from "./helpers";

let h: ChatHarness;
let alice: ChatUser;
let threadPath: string;

beforeAll(async () => {
  h = await startChatHarness();
  alice = await h.user();
  const id = (await alice.client.createChatThread({ topic: "Validation" })).chatThread?.id ?? "";
  threadPath = `chat/threads/${encodeURIComponent(id)}`;
});
afterAll(async () => {
  await h.close();
  h.recorder.expectNoSpecViolations();
});

async function call(method: string, path: string, body?: string, contentType = "application/json") {
  const separator = path.includes("?") ? "&" : "?";
  const url = `${h.emulator.httpEndpoint}${path}${separator}api-version=2025-03-15`;
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${alice.token}`, "content-type": contentType },
    body,
  });
  const text = await response.text();
  h.recorder.record(method, url, response.status, text);
  return {
    status: response.status,
    error: (JSON.parse(text) as { error: { code: string; message: string } }).error,
  };
}

it.each([
  ["invalid JSON", "POST", "/messages", "{nope", /not valid JSON/],
  ["missing content", "POST", "/messages", "{}", /content/],
  [
    "an unknown message type",
    "POST",
    "/messages",
    JSON.stringify({ content: "x", type: "rtf" }),
    /type/,
  ],
  [
    "an unsupported retention policy",
    "PATCH",
    "",
    JSON.stringify({ retentionPolicy: { kind: "forever" } }),
    /kind/,
  ],
  [
    "an empty participant list",
    "POST",
    "/participants/:add",
    JSON.stringify({ participants: [] }),
    /participants/,
  ],
  ["a read receipt without message id", "POST", "/readReceipts", "{}", /chatMessageId/],
  [
    "a participant to remove that is not a communication user",
    "POST",
    "/participants/:remove",
    JSON.stringify({ rawId: "4:+14255550123", phoneNumber: { value: "+14255550123" } }),
    /communication user/,
  ],
])("answers 400 to %s", async (_, method, suffix, body, message) => {
  const { status, error } = await call(method, `${threadPath}${suffix}`, body);
  expect(status).toBe(400);
  expect(error.code).toBe("BadRequest");
  expect(error.message).toMatch(message);
});

it.each([
  ["maxPageSize=0", /maxPageSize/],
  ["maxPageSize=abc", /maxPageSize/],
  ["startTime=yesterday", /startTime/],
  ["syncState=%%%", /syncState/],
])("answers 400 to the list query %s", async (query, message) => {
  const { status, error } = await call("GET", `${threadPath}/messages?${query}`);
  expect(status).toBe(400);
  expect(error.message).toMatch(message);
});

it("answers 405 to a wrong method and 404 to an unknown chat route", async () => {
  expect((await call("DELETE", "chat/threads")).status).toBe(405);
  const unknown = await call("GET", `${threadPath}/images`);
  expect(unknown.status).toBe(404);
  expect(unknown.error.code).toBe("NotFound");
});
