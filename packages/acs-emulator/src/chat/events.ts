// The emulator-only chat event stream (SSE): the SDK's realtime events (Trouter is proprietary)
// delivered to the participants they concern, with resume from a bounded in-memory buffer.
import type { ServerResponse } from "node:http";
import { identifierKind } from "./model";

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

export const PING_INTERVAL_MS = 15_000;
export const EVENT_BUFFER_SIZE = 2_000;

interface BufferedEvent {
  readonly id: number;
  readonly kind: ChatEventKind;
  readonly threadId: string;
  readonly audience: ReadonlySet<string>;
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
  }): void;
  closeUser(userId: string): void;
  close(): void;
}

export function createEventHub(options: {
  now: () => Date;
  pingIntervalMs?: number;
  bufferSize?: number;
}): EventHub {
  const buffer: BufferedEvent[] = [];
  const subscribers = new Set<Subscriber>();
  const bufferSize = options.bufferSize ?? EVENT_BUFFER_SIZE;
  // Time-based so ids keep increasing across restarts, as the contract promises.
  let lastId = 0;
  const nextId = () => (lastId = Math.max(options.now().getTime() * 1000, lastId + 1));

  const matches = (s: Subscriber, e: BufferedEvent) =>
    e.audience.has(s.userId) && (s.threadId === undefined || s.threadId === e.threadId);

  const write = (s: Subscriber, e: BufferedEvent) => {
    const data = PER_RECIPIENT.has(e.kind)
      ? { ...e.data, recipient: identifierKind(s.userId) }
      : e.data;
    s.res.write(`id: ${e.id}\nevent: ${e.kind}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  const drop = (s: Subscriber) => {
    clearInterval(s.timer);
    subscribers.delete(s);
    if (!s.res.writableEnded) s.res.end();
  };

  return {
    publish(kind, threadId, audience, data) {
      const event: BufferedEvent = {
        id: nextId(),
        kind,
        threadId,
        audience: new Set(audience),
        data: { ...data, threadId },
      };
      buffer.push(event);
      if (buffer.length > bufferSize) buffer.splice(0, buffer.length - bufferSize);
      for (const s of subscribers) if (matches(s, event)) write(s, event);
    },
    subscribe({ userId, threadId, lastEventId, res, stillAuthorised }) {
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
      if (lastEventId !== undefined) {
        for (const e of buffer)
          if (e.id > lastEventId && matches(subscriber, e)) write(subscriber, e);
      }
    },
    closeUser(userId) {
      for (const s of subscribers) if (s.userId === userId) drop(s);
    },
    close() {
      for (const s of subscribers) drop(s);
    },
  };
}
