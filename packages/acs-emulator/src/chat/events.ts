// The emulator-only chat event stream (SSE): the SDK's realtime events (Trouter is proprietary)
// delivered to the participants they concern, with resume from a bounded in-memory buffer.
// The buffer keeps no message text: a replay shows what REST shows today (see `replayData`).
import type { ServerResponse } from "node:http";
import { identifierKind, visibleTo, type ThreadState } from "./model";

export const CHAT_EVENT_KINDS = [
  "chatMessageReceived",
  "chatMessageEdited",
  "chatMessageDeleted",
  "typingIndicatorReceived",
  "readReceiptReceived",
  "chatThreadCreated",
  "chatThreadPropertiesUpdated",
  "chatThreadDeleted",
  "participantsAdded",
  "participantsRemoved",
] as const;
export type ChatEventKind = (typeof CHAT_EVENT_KINDS)[number];

/** Kinds whose SDK type extends BaseChatEvent and so carries a per-listener `recipient`. */
const PER_RECIPIENT: ReadonlySet<ChatEventKind> = new Set([
  "chatMessageReceived",
  "chatMessageEdited",
  "chatMessageDeleted",
  "typingIndicatorReceived",
  "readReceiptReceived",
]);

/** Kinds about one message: their `id` is the message id, `message`/`metadata` its content. */
const MESSAGE_KINDS: ReadonlySet<ChatEventKind> = new Set([
  "chatMessageReceived",
  "chatMessageEdited",
  "chatMessageDeleted",
]);

export const PING_INTERVAL_MS = 15_000;
export const EVENT_BUFFER_SIZE = 2_000;

interface BufferedEvent {
  readonly id: number;
  readonly kind: ChatEventKind;
  readonly threadId: string;
  readonly audience: ReadonlySet<string>;
  /** For message kinds: without `message` and `metadata`, filled in from today's state on replay. */
  readonly data: Record<string, unknown>;
}

interface Subscriber {
  readonly userId: string;
  readonly threadId?: string;
  readonly res: ServerResponse;
  readonly timer: NodeJS.Timeout;
}

export interface EventHub {
  publish(
    kind: ChatEventKind,
    threadId: string,
    audience: Iterable<string>,
    data: Record<string, unknown>,
  ): void;
  /** Starts a stream on `res` (headers already written), replaying buffered events after `lastEventId`. */
  subscribe(options: {
    userId: string;
    threadId?: string;
    lastEventId?: number;
    res: ServerResponse;
    /** Called at each ping: false closes the stream (token expired or revoked, identity gone). */
    stillAuthorised: () => Promise<boolean>;
    /**
     * `closeCount()` read before the token was verified. If streams were closed since (a revocation
     * while this request was being authorised), the token is verified again before anything is sent.
     */
    closeCountBefore?: number;
  }): void;
  /** Ends the user's streams at once (tokens revoked, identity deleted). */
  closeUser(userId: string): void;
  /** How often `closeUser` has run, for any user. */
  closeCount(): number;
  close(): void;
}

/**
 * A buffered event as `userId` may see it today, or undefined: nothing of a thread the user no
 * longer belongs to, only the deletion of a deleted thread, no message the user cannot list, and
 * message text and metadata as they are now (none for a deleted message).
 */
function replayData(
  e: BufferedEvent,
  userId: string,
  thread: ThreadState | undefined,
): Record<string, unknown> | undefined {
  if (!thread) return undefined;
  if (thread.deletedOn !== undefined) return e.kind === "chatThreadDeleted" ? e.data : undefined;
  if (!thread.participants.has(userId)) return undefined;
  if (!MESSAGE_KINDS.has(e.kind) || e.kind === "chatMessageDeleted") return e.data;
  const message = thread.messagesById.get(String(e.data.id));
  if (!message || !visibleTo(thread, userId, message)) return undefined;
  const deleted = message.deletedOn !== undefined;
  return {
    ...e.data,
    message: deleted ? "" : (message.content?.message ?? ""),
    metadata: deleted ? {} : (message.metadata ?? {}),
  };
}

export function createEventHub(options: {
  now: () => Date;
  /** Today's chat state, which a replay applies. */
  threads: ReadonlyMap<string, ThreadState>;
  pingIntervalMs?: number;
  bufferSize?: number;
}): EventHub {
  const buffer: BufferedEvent[] = [];
  const subscribers = new Set<Subscriber>();
  let closeCount = 0;
  const bufferSize = options.bufferSize ?? EVENT_BUFFER_SIZE;
  // Time-based so ids keep increasing across restarts, as the contract promises.
  let lastId = 0;
  const nextId = () => (lastId = Math.max(options.now().getTime() * 1000, lastId + 1));

  const matches = (s: Subscriber, e: BufferedEvent) =>
    e.audience.has(s.userId) && (s.threadId === undefined || s.threadId === e.threadId);

  const write = (s: Subscriber, e: BufferedEvent, payload: Record<string, unknown>) => {
    const data = PER_RECIPIENT.has(e.kind)
      ? { ...payload, recipient: identifierKind(s.userId) }
      : payload;
    s.res.write(`id: ${e.id}\nevent: ${e.kind}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  const drop = (s: Subscriber) => {
    clearInterval(s.timer);
    subscribers.delete(s);
    if (!s.res.writableEnded) s.res.end();
  };

  return {
    publish(kind, threadId, audience, data) {
      const live: Record<string, unknown> = { ...data, threadId };
      const { message: _text, metadata: _metadata, ...withoutContent } = live;
      const event: BufferedEvent = {
        id: nextId(),
        kind,
        threadId,
        audience: new Set(audience),
        data: MESSAGE_KINDS.has(kind) ? withoutContent : live,
      };
      buffer.push(event);
      if (buffer.length > bufferSize) buffer.splice(0, buffer.length - bufferSize);
      for (const s of subscribers) if (matches(s, event)) write(s, event, live);
    },
    subscribe(request) {
      const { res, stillAuthorised } = request;
      const start = () => {
        if (!res.writableEnded && !res.destroyed) startStream(request);
      };
      if (request.closeCountBefore === undefined || request.closeCountBefore === closeCount) {
        start();
        return;
      }
      const recheck = (seen: number): void =>
        void stillAuthorised().then(
          (ok) => (!ok ? res.end() : seen === closeCount ? start() : recheck(closeCount)),
          () => res.end(),
        );
      recheck(closeCount);
    },
    closeUser(userId) {
      closeCount += 1;
      for (const s of subscribers) if (s.userId === userId) drop(s);
    },
    closeCount: () => closeCount,
    close() {
      for (const s of subscribers) drop(s);
    },
  };

  function startStream({
    userId,
    threadId,
    lastEventId,
    res,
    stillAuthorised,
  }: Parameters<EventHub["subscribe"]>[0]): void {
    const timer = setInterval(() => {
      void stillAuthorised().then(
        (ok) => (ok ? res.write(": ping\n\n") : drop(subscriber)),
        () => drop(subscriber),
      );
    }, options.pingIntervalMs ?? PING_INTERVAL_MS);
    timer.unref();
    const subscriber: Subscriber = { userId, threadId, res, timer };
    subscribers.add(subscriber);
    res.on("close", () => drop(subscriber));
    res.write(": connected\n\n");
    if (lastEventId === undefined) return;
    for (const e of buffer) {
      if (e.id <= lastEventId || !matches(subscriber, e)) continue;
      const data = replayData(e, userId, options.threads.get(e.threadId));
      if (data) write(subscriber, e, data);
    }
  }
}
