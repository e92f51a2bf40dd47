// The live thread list (ChatInbox) of two people against the real emulator and procedures: the
// first load (counts, last message, order, calls made), live updates (new messages, own receipts
// from another device or the open thread, threads created, renamed, deleted, left) and the re-sync
// that covers a session without push.
import { ChatClient } from "@azure/communication-chat";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ChatInbox, createAcsTokenCredential, createChatSession } from "../src";
import type {
  AcsTokenCredential,
  ChatInboxOptions,
  ChatSession,
  EventSourceKind,
  InboxMessage,
  InboxState,
  InboxThread,
} from "../src";
import type { TestStack } from "./helpers/stack";
import { fetchTokenFor, httpsFetchTrusting, startStack } from "./helpers/stack";

let stack: TestStack;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await stack?.close();
});

interface Person {
  acsUserId: string;
  displayName: string;
  credential: AcsTokenCredential;
  /** Chat REST calls this person's sessions made, as "METHOD /path-pattern". */
  calls: string[];
  session: ChatSession;
  /** Another device of the same person (its own session). */
  device(events?: EventSourceKind): Promise<ChatSession>;
}

async function person(name: string, events: EventSourceKind = "emulator-events"): Promise<Person> {
  const { caller, user } = await stack.createUser(name);
  const displayName = user.name ?? name;
  const credential = createAcsTokenCredential({
    fetchToken: fetchTokenFor(caller),
    crossTab: false,
  });
  await credential.getToken();
  const s = credential.getSnapshot();
  const calls: string[] = [];
  const counting: PipelinePolicy = {
    name: "count-calls",
    sendRequest(request, next) {
      const path = new URL(request.url).pathname
        .replace(/\/threads\/[^/]+/, "/threads/{id}")
        .replace(/\/messages\/[^/]+/, "/messages/{id}");
      calls.push(`${request.method} ${path}`);
      return next(request);
    },
  };
  const open = async (kind: EventSourceKind) => {
    const session = await createChatSession({
      credential,
      endpoint: s.endpoint!,
      emulator: s.emulator!,
      acsUserId: s.acsUserId!,
      displayName,
      events: kind,
      fetch: httpsFetchTrusting(stack.emulator.caCertPem),
      pipelineOptions: {
        tlsOptions: { ca: stack.emulator.caCertPem },
        retryOptions: { maxRetries: 0 },
        additionalPolicies: [{ policy: counting, position: "perCall" }],
      },
      retry: { initialMs: 20, maxMs: 200 },
      pollIntervalMs: 100,
    });
    cleanups.push(() => session.close());
    return session;
  };
  const session = await open(events);
  cleanups.push(() => credential.dispose());
  return {
    acsUserId: s.acsUserId!,
    displayName,
    credential,
    calls,
    session,
    device: (kind = "emulator-events") => open(kind),
  };
}

function inboxOf(session: ChatSession, options?: ChatInboxOptions) {
  const inbox = new ChatInbox(session, options);
  const announced: { threadId: string; message: InboxMessage }[] = [];
  inbox.onNewMessage((threadId, message) => announced.push({ threadId, message }));
  inbox.start();
  cleanups.push(() => inbox.dispose());
  return { inbox, announced };
}

/** Resolves with the state once `predicate` holds (checked on every change). */
function until(inbox: ChatInbox, predicate: (state: InboxState) => boolean): Promise<InboxState> {
  return new Promise((resolve) => {
    if (predicate(inbox.getState())) return resolve(inbox.getState());
    const stop = inbox.subscribe(() => {
      const state = inbox.getState();
      if (predicate(state)) {
        stop();
        resolve(state);
      }
    });
  });
}

const thread = (state: InboxState, id: string): InboxThread | undefined =>
  state.threads.find((t) => t.id === id);

async function chat(from: Person, to: Person, topic: string): Promise<string> {
  const { threadId } = await from.session.startChat({
    topic,
    participants: [{ acsUserId: to.acsUserId, displayName: to.displayName }],
    idempotencyKey: crypto.randomUUID(),
  });
  return threadId;
}

/** Sends through the official SDK's thread client, without opening the thread. */
async function say(who: Person, threadId: string, ...texts: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const content of texts) {
    const { id } = await who.session.threadClient(threadId).sendMessage({ content });
    ids.push(id);
  }
  return ids;
}

it("first load: counts after the own read receipt, last message, newest first, few calls", async () => {
  const ada = await person("ada");
  const bob = await person("bob");
  const older = await chat(ada, bob, "older");
  const newer = await chat(bob, ada, "newer");
  const full = await chat(bob, ada, "busy");
  const [first] = await say(bob, older, "o1", "o2", "o3");
  await ada.session.threadClient(older).sendReadReceipt({ chatMessageId: first! });
  await say(ada, older, "from ada");
  await say(bob, older, "o4");
  await say(bob, full, ...Array.from({ length: 25 }, (_, i) => `b${i}`));
  await say(bob, newer, "hello ada");

  ada.calls.length = 0;
  const { inbox } = inboxOf(ada.session, { pageSize: 20 });
  const state = await until(inbox, (s) => s.ready);
  expect(state.error).toBeUndefined();
  expect(state.threads.map((t) => t.topic)).toEqual(["newer", "busy", "older"]);
  // o2, o3 and o4 are after Ada's receipt (o1); her own message does not count.
  expect(thread(state, older)).toMatchObject({ unread: 3, unreadMore: false });
  expect(thread(state, older)!.lastMessage).toMatchObject({
    text: "o4",
    senderName: bob.displayName,
    mine: false,
  });
  expect(thread(state, newer)).toMatchObject({ unread: 1, unreadMore: false });
  expect(thread(state, newer)!.lastMessage).toMatchObject({ text: "hello ada", mine: false });
  // 25 unread, one page of 20 read: "20+".
  expect(thread(state, full)).toMatchObject({ unread: 20, unreadMore: true });
  expect(state.totalUnread).toBe(24);
  expect(state.totalUnreadMore).toBe(true);
  // One list, then per thread at most a page of messages, its participants and its receipts.
  expect(ada.calls.filter((c) => c === "GET /chat/threads")).toHaveLength(1);
  expect(ada.calls.length).toBeLessThanOrEqual(1 + 3 * 3);
  expect(ada.calls.filter((c) => c === "GET /chat/threads/{id}/messages")).toHaveLength(3);
});

it("live: new messages move their thread to the top and count; own receipts clear the count", async () => {
  const ada = await person("ada2");
  const bob = await person("bob2");
  const first = await chat(ada, bob, "first");
  const second = await chat(ada, bob, "second");
  const { inbox, announced } = inboxOf(ada.session);
  await until(inbox, (s) => s.ready && s.threads.length === 2);
  expect(inbox.getState().threads[0]!.id).toBe(second);

  // Bob writes in the older thread: it moves to the top, count 2, each message announced once.
  const [, lastId] = await say(bob, first, "are you there?", "hello?");
  let state = await until(inbox, (s) => thread(s, first)?.unread === 2);
  expect(state.threads[0]!.id).toBe(first);
  expect(thread(state, first)!.lastMessage).toMatchObject({ text: "hello?", mine: false });
  expect(announced.map((a) => [a.threadId, a.message.text])).toEqual([
    [first, "are you there?"],
    [first, "hello?"],
  ]);
  state = await until(inbox, (s) => thread(s, first)?.lastMessage?.senderName === bob.displayName);

  // Ada reads it on another device: the count clears here too.
  const phone = await ada.device();
  await phone.threadClient(first).sendReadReceipt({ chatMessageId: lastId! });
  state = await until(inbox, (s) => thread(s, first)?.unread === 0);
  expect(state.totalUnread).toBe(0);

  // The open thread: its messages count and move the thread as well, and markRead clears.
  const open = await ada.session.openThread(second);
  const [inOpen] = await say(bob, second, "in the open thread");
  state = await until(inbox, (s) => thread(s, second)?.unread === 1);
  expect(state.threads[0]!.id).toBe(second);
  await open.markRead(inOpen!);
  state = await until(inbox, (s) => thread(s, second)?.unread === 0);

  // Ada's own message: last message, no count, not announced.
  open.send("my reply");
  state = await until(inbox, (s) => thread(s, second)?.lastMessage?.text === "my reply");
  expect(thread(state, second)).toMatchObject({ unread: 0, lastMessage: { mine: true } });
  expect(announced.map((a) => a.message.text)).toEqual([
    "are you there?",
    "hello?",
    "in the open thread",
  ]);
  // Deleted before being read: no longer counted.
  const [gone] = await say(bob, first, "oops");
  await until(inbox, (s) => thread(s, first)?.unread === 1);
  await bob.session.threadClient(first).deleteMessage(gone!);
  state = await until(inbox, (s) => thread(s, first)?.unread === 0);
  expect(thread(state, first)!.lastMessage).toMatchObject({ text: "hello?" });
});

it("threads created, renamed, deleted and left keep the list right", async () => {
  const ada = await person("ada3");
  const bob = await person("bob3");
  const { inbox } = inboxOf(ada.session);
  await until(inbox, (s) => s.ready);
  expect(inbox.getState().threads).toEqual([]);

  const made = await chat(bob, ada, "made by bob");
  await until(inbox, (s) => thread(s, made)?.topic === "made by bob");
  await say(bob, made, "welcome");
  await until(inbox, (s) => thread(s, made)?.unread === 1);

  await bob.session.threadClient(made).updateTopic("renamed");
  await until(inbox, (s) => thread(s, made)?.topic === "renamed");

  await bob.session.threadClient(made).removeParticipant({ communicationUserId: ada.acsUserId });
  await until(inbox, (s) => thread(s, made) === undefined);

  const doomed = await chat(bob, ada, "doomed");
  await until(inbox, (s) => thread(s, doomed) !== undefined);
  const bobClient = new ChatClient(stack.emulator.endpoint, bob.credential, {
    tlsOptions: { ca: stack.emulator.caCertPem },
    retryOptions: { maxRetries: 0 },
  });
  await bobClient.deleteChatThread(doomed);
  await until(inbox, (s) => thread(s, doomed) === undefined);
});

it("without push, the re-sync finds new messages and receipts (and announces the messages)", async () => {
  const ada = await person("ada4", "polling");
  const bob = await person("bob4");
  const quiet = await chat(bob, ada, "quiet");
  const { inbox, announced } = inboxOf(ada.session, { resyncIntervalMs: 200 });
  await until(inbox, (s) => s.ready && thread(s, quiet) !== undefined);
  const [id] = await say(bob, quiet, "polled");
  const state = await until(inbox, (s) => thread(s, quiet)?.unread === 1);
  expect(thread(state, quiet)!.lastMessage).toMatchObject({
    text: "polled",
    senderName: bob.displayName,
  });
  expect(announced.map((a) => a.message.text)).toEqual(["polled"]);
  await ada.session.threadClient(quiet).sendReadReceipt({ chatMessageId: id! });
  await until(inbox, (s) => thread(s, quiet)?.unread === 0);
});
