// The React bindings in a DOM (happy-dom) against the real emulator and procedures: the
// provider's credential and session, useAcsToken, useThreads, useChat, revoke and unmount.
// The DOM is installed by hand after the server side starts (PGlite needs Node's own URL class,
// which happy-dom's test environment replaces).
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createElement, useState } from "react";
import { Window } from "happy-dom";
import type { createRoot as CreateRootFn } from "react-dom/client";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { CredentialDisposedError, createAcsTokenCredential, createChatSession } from "../src";
import type { AcsTokenCredential } from "../src";
import { AcsProvider, useAcsContext, useAcsToken, useChat, useThreads } from "../src/react";
import type { UseAcsTokenResult, UseChatResult, UseThreadsResult } from "../src/react";
import type { TestStack } from "./helpers/stack";
import { fetchTokenFor, httpsFetchTrusting, startStack } from "./helpers/stack";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

type CreateRoot = typeof CreateRootFn;

let stack: TestStack;
let dom: Window;
let createRoot: CreateRoot;
beforeAll(async () => {
  stack = await startStack();
  dom = new Window();
  // react-dom reads navigator.userAgent at load. Node 21+ has a getter-only global navigator, so it
  // is stubbed rather than assigned.
  vi.stubGlobal("window", dom);
  vi.stubGlobal("document", dom.document);
  vi.stubGlobal("navigator", dom.navigator);
  ({ createRoot } = await import("react-dom/client"));
});
afterAll(async () => {
  // The DOM globals stay: React may still flush a scheduled task (this file runs in its own worker).
  await stack?.close();
});

interface Latest {
  token: UseAcsTokenResult;
  threads: UseThreadsResult;
  chat: UseChatResult;
  credential: AcsTokenCredential | null;
  open(threadId: string): void;
}

it("AcsProvider + hooks: token status, start a chat, send and receive, revoke, dispose on unmount", async () => {
  const alice = await stack.createUser("alice");
  const bob = await stack.createUser("bob");
  // Bob's first token creates his identity (identity.me only reads).
  const bobId = (await bob.caller.acs.token.issue()).acsUserId;
  const ca = stack.emulator.caCertPem;
  const sessionOptions = {
    loopbackHttp: false,
    events: "emulator-events" as const,
    fetch: httpsFetchTrusting(ca),
    pipelineOptions: { tlsOptions: { ca }, retryOptions: { maxRetries: 0 } },
    pollIntervalMs: 200,
  };

  let latest: Latest | undefined;
  function Harness() {
    const [threadId, setThreadId] = useState<string>();
    const token = useAcsToken();
    const threads = useThreads();
    const chat = useChat(threadId);
    const { credential } = useAcsContext();
    latest = { token, threads, chat, credential, open: setThreadId };
    return createElement("p", null, `${token.status} ${chat.messages.length}`);
  }
  const queryClient = new QueryClient();
  const container = dom.document.createElement("div") as unknown as HTMLElement;
  const root = createRoot(container);
  root.render(
    createElement(
      QueryClientProvider,
      { client: queryClient },
      createElement(
        AcsProvider,
        {
          fetchToken: fetchTokenFor(alice.caller),
          revokeTokens: () => alice.caller.acs.token.revoke(),
          displayName: "Alice",
          credentialOptions: { crossTab: false },
          sessionOptions,
        },
        createElement(Harness),
      ),
    ),
  );

  await vi.waitFor(() => expect(latest?.token.status).toBe("valid"), { timeout: 15_000 });
  expect(latest!.token.scopes).toEqual(["chat"]);
  await vi.waitFor(() => expect(latest?.threads.isLoading).toBe(false), { timeout: 15_000 });

  const { threadId } = await latest!.threads.startChat({
    topic: "from react",
    participants: [{ acsUserId: bobId, displayName: "Bob" }],
    idempotencyKey: crypto.randomUUID(),
  });
  latest!.open(threadId);
  await vi.waitFor(() => expect(latest?.chat.ready).toBe(true), { timeout: 15_000 });
  await vi.waitFor(() => expect(latest?.threads.threads.map((t) => t.id)).toContain(threadId), {
    timeout: 15_000,
  });

  const clientMessageId = latest!.chat.send("hi from react");
  await vi.waitFor(
    () =>
      expect(latest?.chat.messages.find((m) => m.clientMessageId === clientMessageId)?.status).toBe(
        "sent",
      ),
    { timeout: 15_000 },
  );

  // Bob answers from a plain session; Alice's hook shows it.
  const bobCredential = createAcsTokenCredential({
    fetchToken: fetchTokenFor(bob.caller),
    crossTab: false,
  });
  await bobCredential.getToken();
  const snap = bobCredential.getSnapshot();
  const bobSession = await createChatSession({
    credential: bobCredential,
    endpoint: snap.endpoint!,
    emulator: true,
    acsUserId: snap.acsUserId!,
    displayName: "Bob",
    ...sessionOptions,
  });
  const bobThread = await bobSession.openThread(threadId);
  bobThread.send("hi back");
  await vi.waitFor(() => expect(latest?.chat.messages.map((m) => m.content)).toContain("hi back"), {
    timeout: 15_000,
  });
  expect(latest!.chat.connection).toBe("live");
  expect(container.textContent).toContain("valid");
  await bobSession.close();
  bobCredential.dispose();

  await latest!.token.revoke();
  await vi.waitFor(() => expect(latest?.token.status).toBe("revoked"));

  const credential = latest!.credential!;
  root.unmount();
  await expect(credential.getToken()).rejects.toBeInstanceOf(CredentialDisposedError);
  queryClient.clear();
});
