// Chat state as snapshot records (compaction): threads with their participants, receipts and
// messages as they are today. Deleted and edited messages keep only their current content (none
// for deleted ones); a deleted thread keeps only what listing threads still shows (its properties
// and members), not its messages. Messages are chunked so no line grows with a thread's history.
import type { JournalRecord } from "../persistence/journal";
import type { MessageState, ParticipantState, ReadReceiptState, ThreadState } from "./model";
import type { ChatState } from "./state";

export const CHAT_SNAPSHOT_RECORD = {
  ids: "chat.snapshot.ids",
  thread: "chat.snapshot.thread",
  messages: "chat.snapshot.messages",
  repeatability: "chat.snapshot.repeatability",
} as const;

/** Messages (or repeatability entries) per snapshot record: bounded lines, cheap to parse. */
const PER_RECORD = 1000;

type ThreadProperties = Omit<
  ThreadState,
  "participants" | "messages" | "messagesById" | "receipts"
>;

interface ChatSnapshotMap {
  "chat.snapshot.ids": { lastId: number };
  "chat.snapshot.thread": {
    thread: ThreadProperties;
    participants: ParticipantState[];
    receipts: [string, ReadReceiptState][];
  };
  "chat.snapshot.messages": { threadId: string; messages: MessageState[] };
  "chat.snapshot.repeatability": {
    entries: [string, { threadId: string; response: unknown }][];
  };
}

type ChatSnapshotRecord = {
  [K in keyof ChatSnapshotMap]: { type: K; at: string; data: ChatSnapshotMap[K] };
}[keyof ChatSnapshotMap];

function* chunks<T>(items: Iterable<T>): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === PER_RECORD) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function threadProperties(t: ThreadState): ThreadProperties {
  return {
    id: t.id,
    topic: t.topic,
    createdOn: t.createdOn,
    createdBy: t.createdBy,
    ...(t.metadata !== undefined && { metadata: t.metadata }),
    ...(t.retentionPolicy !== undefined && { retentionPolicy: t.retentionPolicy }),
    ...(t.deletedOn !== undefined && { deletedOn: t.deletedOn }),
    version: t.version,
    ...(t.lastMessageReceivedOn !== undefined && {
      lastMessageReceivedOn: t.lastMessageReceivedOn,
    }),
    lastSequenceId: t.lastSequenceId,
  };
}

export function* chatSnapshotRecords(state: ChatState, at: Date): Generator<JournalRecord> {
  const stamp = at.toISOString();
  const record = <K extends keyof ChatSnapshotMap>(type: K, data: ChatSnapshotMap[K]) =>
    ({ type, at: stamp, data }) as JournalRecord;
  yield record(CHAT_SNAPSHOT_RECORD.ids, { lastId: state.highestId });
  for (const thread of state.threads.values()) {
    const deleted = thread.deletedOn !== undefined;
    yield record(CHAT_SNAPSHOT_RECORD.thread, {
      thread: threadProperties(thread),
      participants: [...thread.participants.values()],
      receipts: deleted ? [] : [...thread.receipts.entries()],
    });
    if (deleted) continue;
    for (const messages of chunks(thread.messages))
      yield record(CHAT_SNAPSHOT_RECORD.messages, { threadId: thread.id, messages });
  }
  for (const entries of chunks(state.repeatability.entries()))
    yield record(CHAT_SNAPSHOT_RECORD.repeatability, { entries });
}

/** Restores a snapshot record into `state`; false when `record` is not one. */
export function restoreChatSnapshot(state: ChatState, record: JournalRecord): boolean {
  if (!record.type.startsWith("chat.snapshot.")) return false;
  const r = record as ChatSnapshotRecord;
  switch (r.type) {
    case "chat.snapshot.ids":
      state.seeId(String(r.data.lastId));
      return true;
    case "chat.snapshot.thread": {
      const { thread, participants, receipts } = r.data;
      state.threads.set(thread.id, {
        ...thread,
        participants: new Map(participants.map((p) => [p.id, p])),
        messages: [],
        messagesById: new Map(),
        receipts: new Map(receipts),
      });
      return true;
    }
    case "chat.snapshot.messages": {
      const thread = state.threads.get(r.data.threadId);
      if (!thread) return true;
      // Written in sequence order, so appending keeps `messages` sorted.
      for (const message of r.data.messages) {
        thread.messages.push(message);
        thread.messagesById.set(message.id, message);
      }
      return true;
    }
    case "chat.snapshot.repeatability":
      for (const [key, value] of r.data.entries) state.repeatability.set(key, value);
      return true;
    default:
      return false;
  }
}
