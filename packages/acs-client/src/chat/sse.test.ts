import { expect, it } from "vitest";
import { readServerSentEvents } from "./sse";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

it("parses events split across chunks, skips comments, keeps the last id", async () => {
  const events = [];
  const body = streamOf([
    ": connected\n\n",
    "id: 7\nevent: chatMess",
    'ageReceived\ndata: {"a":1}\n',
    "\n: ping\n\n",
    "id: 8\r\nevent: x\r\ndata: l1\r\ndata: l2\r\n\r\n",
  ]);
  for await (const e of readServerSentEvents(body)) events.push(e);
  expect(events).toEqual([
    { id: "7", event: "chatMessageReceived", data: '{"a":1}' },
    { id: "8", event: "x", data: "l1\nl2" },
  ]);
});
