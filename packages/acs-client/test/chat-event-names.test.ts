// The chat event names: acs-client's list is typed by the chat SDK (`ChatEventId`); the emulator,
// which imports none of our packages, keeps its own. Both must name the same thread events.
import type { ChatEventId } from "@azure/communication-chat";
import { CHAT_EVENT_KINDS } from "@acs-stack/acs-emulator";
import { expect, it } from "vitest";
import {
  CHAT_THREAD_EVENTS,
  isChatThreadEventName,
  type ChatConnectionEventName,
} from "../src/chat/events/chat-event-names";

// The emulator's names are the SDK's names too (a typo there fails the typecheck here).
CHAT_EVENT_KINDS satisfies readonly ChatEventId[];

it("the emulator's event stream emits exactly the thread events the session applies", () => {
  expect([...CHAT_EVENT_KINDS].sort()).toEqual([...CHAT_THREAD_EVENTS].sort());
});

it("the only SDK events the emulator does not emit are the realtime transport's connection events", () => {
  // The stream's own HTTP connection tells the session it is connected; it sends no such event.
  const connectionEvents: readonly ChatConnectionEventName[] = [
    "realTimeNotificationConnected",
    "realTimeNotificationDisconnected",
  ];
  for (const name of connectionEvents) {
    expect(CHAT_EVENT_KINDS).not.toContain(name);
    expect(isChatThreadEventName(name)).toBe(false);
  }
});

it("a name from the wire that the SDK does not know is not applied", () => {
  expect(isChatThreadEventName("chatMessageReceived")).toBe(true);
  expect(isChatThreadEventName("chatMesageReceived")).toBe(false);
  expect(isChatThreadEventName("somethingNew")).toBe(false);
});
