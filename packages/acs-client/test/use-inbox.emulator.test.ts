// useInbox / useInboxNewMessages in a DOM (happy-dom) against the real emulator and procedures: two
// components share one inbox (one thread-list call), the list updates live and new messages are
// announced once. The DOM is installed by hand after the server side starts (see
// react.emulator.test.ts).
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { createElement } from "react";
import { Window } from "happy-dom";
import type { createRoot as CreateRootFn } from "react-dom/client";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { AcsProvider, useAcsContext, useInbox, useInboxNewMessages } from "../src/react";
import type { AcsContextValue, UseInboxResult } from "../src/react";
import type { TestStack } from "./helpers/stack";
import { fetchTokenFor, httpsFetchTrusting, startStack } from "./helpers/stack";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

let stack: TestStack;
let dom: Window;
let createRoot: typeof CreateRootFn;
beforeAll(async () => {
  stack = await startStack();
  dom = new Window();
  vi.stubGlobal("window", dom);
  vi.stubGlobal("document", dom.document);
  vi.stubGlobal("navigator", dom.navigator);
  ({ createRoot } = await import("react-dom/client"));
});
afterAll(async () => {
  await stack?.close();
});

it("components share one live inbox; new messages are announced once", async () => {
  const ada = await stack.createUser("ada");
  const bob = await stack.createUser("bob");
  const bobId = (await bob.caller.acs.token.issue()).acsUserId;
  const ca = stack.emulator.caCertPem;
  let listCalls = 0;
  const countLists: PipelinePolicy = {
    name: "count-thread-lists",
    sendRequest(request, next) {
      if (request.method === "GET" && new URL(request.url).pathname === "/chat/threads")
        listCalls += 1;
      return next(request);
    },
  };

  const seen: { first?: UseInboxResult; second?: UseInboxResult; context?: AcsContextValue } = {};
  const announced: string[] = [];
  function First() {
    seen.first = useInbox();
    seen.context = useAcsContext();
    useInboxNewMessages((_threadId, message) => announced.push(message.text));
    return null;
  }
  function Second() {
    seen.second = useInbox();
    return null;
  }
  function Both() {
    return createElement("div", null, createElement(First), createElement(Second));
  }
  const root = createRoot(dom.document.createElement("div") as unknown as HTMLElement);
  root.render(
    createElement(
      AcsProvider,
      {
        fetchToken: fetchTokenFor(ada.caller),
        displayName: "Ada",
        credentialOptions: { crossTab: false },
        sessionOptions: {
          loopbackHttp: false,
          events: "emulator-events",
          fetch: httpsFetchTrusting(ca),
          pipelineOptions: {
            tlsOptions: { ca },
            retryOptions: { maxRetries: 0 },
            additionalPolicies: [{ policy: countLists, position: "perCall" }],
          },
        },
      },
      createElement(Both),
    ),
  );

  await vi.waitFor(() => expect(seen.first?.ready && seen.second?.ready).toBe(true), {
    timeout: 15_000,
  });
  const session = seen.context!.session!;
  await vi.waitFor(() => expect(session.getConnectionState()).toBe("live"), { timeout: 15_000 });
  const { threadId } = await session.startChat({
    topic: "hooked",
    participants: [{ acsUserId: bobId, displayName: "Bob" }],
    idempotencyKey: crypto.randomUUID(),
  });
  await vi.waitFor(() => expect(seen.second?.threads.map((t) => t.topic)).toEqual(["hooked"]), {
    timeout: 15_000,
  });
  // Bob answers through the official SDK with his own token.
  const { ChatClient } = await import("@azure/communication-chat");
  const { AzureCommunicationTokenCredential } = await import("@azure/communication-common");
  const bobToken = await bob.caller.acs.token.refresh();
  const bobThread = new ChatClient(
    stack.emulator.endpoint,
    new AzureCommunicationTokenCredential(bobToken.token),
    { tlsOptions: { ca }, retryOptions: { maxRetries: 0 } },
  ).getChatThreadClient(threadId);
  await bobThread.sendMessage({ content: "hi from bob" });
  await vi.waitFor(() => expect(seen.first?.totalUnread).toBe(1), { timeout: 15_000 });
  expect(seen.second?.threads[0]).toMatchObject({
    topic: "hooked",
    unread: 1,
    lastMessage: { text: "hi from bob", mine: false },
  });
  expect(announced).toEqual(["hi from bob"]);
  // Two components, one inbox: the thread list was read once.
  expect(listCalls).toBe(1);

  root.unmount();
});
