// Chat state and the journal records that change it. Every change is a self-contained record
// (ids, times and system messages are decided before it is written), so replay rebuilds the exact
// state without consulting the clock.
import type { JournalRecord } from "../persistence/journal";
import type { MessageState, ParticipantState, RetentionPolicy, ThreadState } from "./model";
import { chatSnapshotRecords, restoreChatSnapshot } from "./snapshot";

export interface ChatRecordMap {
  "chat.thread.created": {
    thread: {
      id: string;
      topic: string;
      createdOn: string;
      createdBy: string;
      metadata?: Record<string, string>;
      retentionPolicy?: RetentionPolicy;
    };
    participants: ParticipantState[];
    messages: MessageState[];
    /** `<userId>|<repeatability-request-id>`: a repeat answers `response` without re-executing. */
    repeatabilityKey: string;
    response: unknown;
  };
  "chat.thread.updated": {
    threadId: string;
    topic?: string;
    metadata?: Record<string, string>;
    retentionPolicy?: RetentionPolicy;
    version: string;
    message?: MessageState;
  };
  "chat.thread.deleted": { threadId: string; deletedOn: string; version: string };
  "chat.message.sent": { threadId: string; message: MessageState };
  "chat.message.updated": {
    threadId: string;
    messageId: string;
    content?: string;
    metadata?: Record<string, string>;
    editedOn: string;
    version: string;
  };
  "chat.message.deleted": {
    threadId: string;
    messageId: string;
    deletedOn: string;
    version: string;
  };
  "chat.participants.added": {
    threadId: string;
    participants: ParticipantState[];
    message: MessageState;
    version: string;
  };
  "chat.participant.removed": {
    threadId: string;
    participantId: string;
    message: MessageState;
    version: string;
  };
  "chat.readReceipt.sent": { threadId: string; userId: string; messageId: string; readOn: string };
  "chat.identity.removed": { acsUserId: string };
}

export type ChatRecordType = keyof ChatRecordMap;
export type ChatRecord = {
  [K in ChatRecordType]: { type: K; at: string; data: ChatRecordMap[K] };
}[ChatRecordType];

export function chatRecord<K extends ChatRecordType>(
  type: K,
  at: Date,
  data: ChatRecordMap[K],
): JournalRecord {
  return { type, at: at.toISOString(), data };
}

export class ChatState {
  readonly threads = new Map<string, ThreadState>();
  readonly repeatability = new Map<string, { threadId: string; response: unknown }>();
  private lastId = 0;

  /** Numeric-string ids in epoch-ms style, strictly increasing (message ids and versions). */
  allocateId(now: Date): string {
    this.lastId = Math.max(now.getTime(), this.lastId + 1);
    return String(this.lastId);
  }

  /** Reserves the next sequence id of a thread (reserved before the journal write, so concurrent requests never share one). */
  allocateSequence(thread: ThreadState): number {
    thread.lastSequenceId += 1;
    return thread.lastSequenceId;
  }

  /** The highest id handed out so far (snapshots keep it, so ids keep increasing). */
  get highestId(): number {
    return this.lastId;
  }

  /** Today's state as snapshot records (journal compaction). */
  snapshot(at: Date): Iterable<JournalRecord> {
    return chatSnapshotRecords(this, at);
  }

  /** Ids handed out from now on exceed `id`. */
  seeId(id: string): void {
    const n = Number(id);
    if (Number.isFinite(n) && n > this.lastId) this.lastId = n;
  }

  private addMessage(thread: ThreadState, message: MessageState): void {
    if (thread.messagesById.has(message.id)) return;
    const copy: MessageState = { ...message };
    const last = thread.messages.at(-1);
    thread.messages.push(copy);
    // Appends are in order except when concurrent requests finish their journal writes out of order.
    if (last && last.sequenceId > copy.sequenceId)
      thread.messages.sort((a, b) => a.sequenceId - b.sequenceId);
    thread.messagesById.set(copy.id, copy);
    thread.lastSequenceId = Math.max(thread.lastSequenceId, copy.sequenceId);
    thread.lastMessageReceivedOn = copy.createdOn;
    this.seeId(copy.id);
    this.seeId(copy.version);
  }

  /** Applies a record; false when it is not chat's. Tolerates records about data gone since. */
  apply(record: JournalRecord): boolean {
    if (!record.type.startsWith("chat.")) return false;
    if (restoreChatSnapshot(this, record)) return true;
    const r = record as ChatRecord;
    switch (r.type) {
      case "chat.thread.created": {
        const { thread: t, participants, messages, repeatabilityKey, response } = r.data;
        const thread: ThreadState = {
          ...t,
          version: String(Date.parse(t.createdOn)),
          participants: new Map(participants.map((p) => [p.id, p])),
          messages: [],
          messagesById: new Map(),
          receipts: new Map(),
          lastSequenceId: 0,
        };
        this.threads.set(t.id, thread);
        for (const m of messages) this.addMessage(thread, m);
        this.repeatability.set(repeatabilityKey, { threadId: t.id, response });
        return true;
      }
      case "chat.thread.updated": {
        const thread = this.threads.get(r.data.threadId);
        if (!thread) return true;
        if (r.data.topic !== undefined) thread.topic = r.data.topic;
        if (r.data.metadata !== undefined) thread.metadata = r.data.metadata;
        if (r.data.retentionPolicy !== undefined) thread.retentionPolicy = r.data.retentionPolicy;
        thread.version = r.data.version;
        this.seeId(r.data.version);
        if (r.data.message) this.addMessage(thread, r.data.message);
        return true;
      }
      case "chat.thread.deleted": {
        const thread = this.threads.get(r.data.threadId);
        if (thread) {
          thread.deletedOn = r.data.deletedOn;
          thread.version = r.data.version;
        }
        return true;
      }
      case "chat.message.sent": {
        const thread = this.threads.get(r.data.threadId);
        if (thread) this.addMessage(thread, r.data.message);
        return true;
      }
      case "chat.message.updated": {
        const message = this.threads.get(r.data.threadId)?.messagesById.get(r.data.messageId);
        if (!message) return true;
        if (r.data.content !== undefined)
          message.content = { ...message.content, message: r.data.content };
        if (r.data.metadata !== undefined) message.metadata = r.data.metadata;
        message.editedOn = r.data.editedOn;
        message.version = r.data.version;
        this.seeId(r.data.version);
        return true;
      }
      case "chat.message.deleted": {
        const message = this.threads.get(r.data.threadId)?.messagesById.get(r.data.messageId);
        if (!message) return true;
        message.deletedOn = r.data.deletedOn;
        message.version = r.data.version;
        delete message.content;
        this.seeId(r.data.version);
        return true;
      }
      case "chat.participants.added": {
        const thread = this.threads.get(r.data.threadId);
        if (!thread) return true;
        for (const p of r.data.participants) thread.participants.set(p.id, p);
        thread.version = r.data.version;
        this.addMessage(thread, r.data.message);
        return true;
      }
      case "chat.participant.removed": {
        const thread = this.threads.get(r.data.threadId);
        if (!thread) return true;
        thread.participants.delete(r.data.participantId);
        thread.receipts.delete(r.data.participantId);
        thread.version = r.data.version;
        this.addMessage(thread, r.data.message);
        return true;
      }
      case "chat.readReceipt.sent": {
        const thread = this.threads.get(r.data.threadId);
        if (!thread) return true;
        const current = thread.receipts.get(r.data.userId);
        const next = thread.messagesById.get(r.data.messageId);
        const previous = current && thread.messagesById.get(current.messageId);
        // A participant's receipt only moves forward, like read position in ACS.
        if (!previous || !next || next.sequenceId >= previous.sequenceId) {
          thread.receipts.set(r.data.userId, {
            messageId: r.data.messageId,
            readOn: r.data.readOn,
          });
        }
        return true;
      }
      case "chat.identity.removed": {
        for (const thread of this.threads.values()) {
          thread.participants.delete(r.data.acsUserId);
          thread.receipts.delete(r.data.acsUserId);
        }
        for (const key of this.repeatability.keys()) {
          if (key.startsWith(`${r.data.acsUserId}|`)) this.repeatability.delete(key);
        }
        return true;
      }
      default:
        return false;
    }
  }
}
