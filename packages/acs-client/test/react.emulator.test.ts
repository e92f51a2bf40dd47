// The React bindings in a DOM (happy-dom) against the real emulator and procedures: the
// provider's credential and session, useAcsToken, useThreads, useChat, revoke and unmount; actions
// taken before the session has started wait for it (or end with why it cannot start).
// The DOM is installed by hand after the server side starts (PGlite needs Node's own URL class,
// which happy-dom's test environment replaces).
import { createElement, useState } from "react";
import type { ReactNode } from "react";
import { Window } from "happy-dom";
import { createTRPCContext } from "@acs-stack/acs-server";
import type { createRoot as CreateRootFn } from "react-dom/client";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import {
  CredentialDisposedError,
  TokenRevokedError,
  createAcsTokenCredential,
  createChatSession,
} from "../src";
import type { AcsTokenCredential, FetchToken } from "../src";
import {
  AcsProvider,
  useAcsContext,
  useAcsToken,
  useChat,
  useChatSession,
  useThreads,
} from "../src/react";
import type {
  AcsProviderProps,
  UseAcsTokenResult,
  UseChatResult,
  UseChatSessionResult,
  UseThreadsResult,
} from "../src/react";
import { nodeSessionOptions, plainSession } from "./helpers/node-session";
import type { TestStack } from "./helpers/stack";
import { fetchTokenFor, startStack, testRouter } from "./helpers/stack";

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
  const sessionOptions = nodeSessionOptions(stack);

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
  const container = dom.document.createElement("div") as unknown as HTMLElement;
  const root = createRoot(container);
  root.render(
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
  );

  await vi.waitFor(() => expect(latest?.token.status).toBe("valid"), { timeout: 15_000 });
  expect(latest!.token.scopes).toEqual(["chat"]);
  await vi.waitFor(() => expect(latest?.threads.isLoading).toBe(false), { timeout: 15_000 });
  expect(latest!.chat).toMatchObject({ status: "idle", thread: null, error: null, messages: [] });

  const { threadId } = await latest!.threads.startChat({
    topic: "from react",
    participants: [{ acsUserId: bobId, displayName: "Bob" }],
    idempotencyKey: crypto.randomUUID(),
  });
  latest!.open(threadId);
  await vi.waitFor(() => expect(latest?.chat.status).toBe("open"), { timeout: 15_000 });
  // The thread's own handle, the same one across renders (a stable dependency for effects).
  const thread = latest!.chat.thread!;
  expect(thread.threadId).toBe(threadId);
  await expect(latest!.chat.whenOpen()).resolves.toBe(thread);
  await vi.waitFor(() => expect(latest?.threads.threads.map((t) => t.id)).toContain(threadId), {
    timeout: 15_000,
  });

  const clientMessageId = thread.send("hi from react");
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
  expect(latest!.chat.thread).toBe(thread);
  expect(container.textContent).toContain("valid");
  await bobSession.close();
  bobCredential.dispose();

  await latest!.token.revoke();
  await vi.waitFor(() => expect(latest?.token.status).toBe("revoked"));

  const credential = latest!.credential!;
  root.unmount();
  await expect(credential.getToken()).rejects.toBeInstanceOf(CredentialDisposedError);
});

/** A token fetch that waits until `release()` (the session cannot start before it). */
function heldFetchToken(inner: FetchToken) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const state = { requested: false, release };
  const fetchToken: FetchToken = async (reason, options) => {
    state.requested = true;
    await released;
    return inner(reason, options);
  };
  return {
    ...state,
    get requested() {
      return state.requested;
    },
    fetchToken,
  };
}

/** Settles in a few turns of the event loop if `promise` was going to fail at once (no timing). */
async function settledSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

interface Early {
  session: UseChatSessionResult;
  threads: UseThreadsResult;
  chat: UseChatResult;
}

function renderEarly(
  props: Omit<AcsProviderProps, "children" | "displayName">,
  threadId: string | undefined,
) {
  const latest: { current?: Early } = {};
  function Harness(): ReactNode {
    latest.current = { session: useChatSession(), threads: useThreads(), chat: useChat(threadId) };
    return null;
  }
  const root = createRoot(dom.document.createElement("div") as unknown as HTMLElement);
  root.render(
    createElement(
      AcsProvider,
      { displayName: "Alice", credentialOptions: { crossTab: false }, ...props },
      createElement(Harness),
    ),
  );
  return {
    latest,
    close() {
      root.unmount();
    },
  };
}

it("startChat and useChat's whenOpen, called before the session exists, wait for it, then resolve", async () => {
  const alice = await stack.createUser("alice");
  const bob = await stack.createUser("bob");
  const carol = await stack.createUser("carol");
  const aliceId = (await alice.caller.acs.token.issue()).acsUserId;
  const bobId = (await bob.caller.acs.token.issue()).acsUserId;
  const carolId = (await carol.caller.acs.token.issue()).acsUserId;
  // A thread Alice is in, so useChat has something to open once her session exists.
  const bobSide = await plainSession(stack, bob.caller, "Bob");
  const { threadId: existing } = await bobSide.session.startChat({
    topic: "waiting",
    participants: [{ acsUserId: aliceId, displayName: "Alice" }],
    idempotencyKey: crypto.randomUUID(),
  });

  const held = heldFetchToken(fetchTokenFor(alice.caller));
  const view = renderEarly(
    { fetchToken: held.fetchToken, sessionOptions: nodeSessionOptions(stack) },
    existing,
  );
  await vi.waitFor(() => expect(held.requested).toBe(true), { timeout: 15_000 });
  const early = view.latest.current!;
  expect(early.session.status).toBe("connecting");
  expect(early.threads.isLoading).toBe(true);

  const started = early.threads.startChat({
    topic: "started early",
    participants: [{ acsUserId: bobId, displayName: "Bob" }],
    idempotencyKey: crypto.randomUUID(),
  });
  expect(early.chat).toMatchObject({ status: "opening", thread: null, error: null });
  const added = early.chat
    .whenOpen()
    .then((thread) => thread.addParticipants([{ acsUserId: carolId, displayName: "Carol" }]));
  // Neither rejects for want of a session or an open thread.
  expect(await settledSoon(started)).toBe(false);
  expect(await settledSoon(added)).toBe(false);
  expect(view.latest.current!.session.status).toBe("connecting");

  held.release();
  const { threadId } = await started;
  await added;
  expect(view.latest.current!.session.status).toBe("ready");
  const bobThreads = await bobSide.session.listThreads();
  expect(bobThreads.map((t) => t.id)).toContain(threadId);
  await vi.waitFor(
    () => expect(view.latest.current?.chat.participants.map((p) => p.acsUserId)).toContain(carolId),
    { timeout: 15_000 },
  );

  view.close();
  await bobSide.close();
});

it("useChat of a thread the user is not in: failed, with the service's answer", async () => {
  const alice = await stack.createUser("alice");
  const bob = await stack.createUser("bob");
  const bobSide = await plainSession(stack, bob.caller, "Bob");
  const { threadId } = await bobSide.session.startChat({
    topic: "bob alone",
    participants: [],
    idempotencyKey: crypto.randomUUID(),
  });
  const view = renderEarly(
    { fetchToken: fetchTokenFor(alice.caller), sessionOptions: nodeSessionOptions(stack) },
    threadId,
  );
  await vi.waitFor(() => expect(view.latest.current?.chat.status).toBe("failed"), {
    timeout: 15_000,
  });
  const chat = view.latest.current!.chat;
  expect(chat.thread).toBeNull();
  const { statusCode } = chat.error as { statusCode?: number };
  expect([403, 404]).toContain(statusCode);
  // whenOpen tries again (a failure is not remembered) and gets the same answer.
  await expect(chat.whenOpen()).rejects.toMatchObject({ statusCode });
  view.close();
  await bobSide.close();
});

it("a wait ends when its caller aborts, and with the reason when the session cannot start", async () => {
  const bob = await stack.createUser("bob");
  const bobId = (await bob.caller.acs.token.issue()).acsUserId;
  // Signed out before the first token: the procedure answers UNAUTHORIZED, the credential is revoked.
  const signedOut = testRouter.createCaller(
    createTRPCContext({ user: null, services: stack.services }),
  );
  const held = heldFetchToken(fetchTokenFor(signedOut));
  const view = renderEarly(
    { fetchToken: held.fetchToken, sessionOptions: nodeSessionOptions(stack) },
    "19:never-opened@thread.v2",
  );
  await vi.waitFor(() => expect(held.requested).toBe(true), { timeout: 15_000 });
  const leftThread = new AbortController();
  const openAbandoned = view.latest.current!.chat.whenOpen(leftThread.signal);
  const openRefused = view.latest.current!.chat.whenOpen();
  leftThread.abort();
  await expect(openAbandoned).rejects.toMatchObject({ name: "AbortError" });
  const input = {
    topic: "never",
    participants: [{ acsUserId: bobId, displayName: "Bob" }],
    idempotencyKey: crypto.randomUUID(),
  };
  const cancel = new AbortController();
  const abandoned = view.latest.current!.threads.startChat(input, { signal: cancel.signal });
  const refused = view.latest.current!.threads.startChat(input);
  cancel.abort();
  await expect(abandoned).rejects.toMatchObject({ name: "AbortError" });
  expect(await settledSoon(refused)).toBe(false);

  held.release();
  await expect(refused).rejects.toBeInstanceOf(TokenRevokedError);
  await expect(openRefused).rejects.toBeInstanceOf(TokenRevokedError);
  await vi.waitFor(() => expect(view.latest.current?.session.status).toBe("failed"));
  // The thread cannot open either, and says why.
  expect(view.latest.current!.chat.status).toBe("failed");
  expect(view.latest.current!.chat.error).toBeInstanceOf(TokenRevokedError);
  expect(view.latest.current!.chat.thread).toBeNull();
  expect(view.latest.current!.threads.error).toBeInstanceOf(TokenRevokedError);
  expect(view.latest.current!.threads.isLoading).toBe(false);
  // Later callers get the reason at once instead of waiting for a session that cannot come.
  await expect(view.latest.current!.session.whenReady()).rejects.toBeInstanceOf(TokenRevokedError);
  view.close();
});

it("a start that fails for a passing reason is retried: the waiting startChat resolves", async () => {
  const alice = await stack.createUser("alice");
  const bob = await stack.createUser("bob");
  const bobId = (await bob.caller.acs.token.issue()).acsUserId;
  const inner = fetchTokenFor(alice.caller);
  const outage = { failing: true, failures: 0 };
  // The token server is unreachable at first: the credential gives up waiting after 300 ms
  // (TokenUnavailableError), and the provider starts over until the server answers.
  const fetchToken: FetchToken = async (reason, options) => {
    if (outage.failing) {
      outage.failures += 1;
      throw new Error("fetch failed: the token server is unreachable");
    }
    return inner(reason, options);
  };
  const view = renderEarly(
    {
      fetchToken,
      credentialOptions: { crossTab: false, maxWaitMs: 300, backoff: { initialMs: 20, maxMs: 50 } },
      sessionOptions: { ...nodeSessionOptions(stack), retry: { initialMs: 20, maxMs: 50 } },
    },
    undefined,
  );
  await vi.waitFor(() => expect(view.latest.current?.session.error).toBeDefined(), {
    timeout: 15_000,
  });
  expect(view.latest.current!.session.status).toBe("connecting");
  const started = view.latest.current!.threads.startChat({
    topic: "after the outage",
    participants: [{ acsUserId: bobId, displayName: "Bob" }],
    idempotencyKey: crypto.randomUUID(),
  });
  expect(await settledSoon(started)).toBe(false);
  outage.failing = false;
  const { threadId } = await started;
  expect(threadId).toMatch(/\S/);
  expect(outage.failures).toBeGreaterThan(0);
  expect(view.latest.current!.session.status).toBe("ready");
  view.close();
});
