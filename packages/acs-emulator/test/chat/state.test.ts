// Journal replay contract of the chat state: only chat.* records are chat's, and replay needs no clock.
import { expect, it } from "vitest";
import { ChatState, chatRecord } from "../../src/chat/state";

it("applies chat records, ignores others, and continues ids after the replayed ones", () => {
  const state = new ChatState();
  expect(state.apply({ type: "identity.created", at: new Date(0).toISOString(), data: {} })).toBe(
    false,
  );
  const at = new Date("2026-01-01T00:00:00.000Z");
  const message = {
    id: "9000000000000",
    type: "text" as const,
    sequenceId: 3,
    version: "9000000000000",
    createdOn: at.toISOString(),
    senderId: "8:acs:r_a",
    content: { message: "hi" },
  };
  expect(
    state.apply(
      chatRecord("chat.thread.created", at, {
        thread: {
          id: "19:t@thread.v2",
          topic: "t",
          createdOn: at.toISOString(),
          createdBy: "8:acs:r_a",
        },
        participants: [{ id: "8:acs:r_a" }],
        messages: [],
        repeatabilityKey: "8:acs:r_a|k",
        response: { chatThread: { id: "19:t@thread.v2" } },
      }),
    ),
  ).toBe(true);
  expect(
    state.apply(chatRecord("chat.message.sent", at, { threadId: "19:t@thread.v2", message })),
  ).toBe(true);
  const thread = state.threads.get("19:t@thread.v2");
  expect(thread?.messages.map((m) => m.id)).toEqual([message.id]);
  expect(state.repeatability.get("8:acs:r_a|k")?.threadId).toBe("19:t@thread.v2");
  // A clock behind the replayed ids still yields larger ids and sequence numbers.
  expect(Number(state.allocateId(at))).toBeGreaterThan(Number(message.id));
  expect(thread && state.allocateSequence(thread)).toBe(4);
});
