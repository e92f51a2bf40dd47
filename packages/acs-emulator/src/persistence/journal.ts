// Contract of the emulator's write-ahead journal. Every state change is a record; state is rebuilt
// by replaying records at start-up. `append` resolves only once the record is durable (fsync), so
// an acknowledged request survives a crash. In-memory mode keeps nothing.

export interface JournalRecord {
  /** Namespaced record type, e.g. "identity.created", "chat.message.sent". */
  readonly type: string;
  /** ISO time of the change (replay must not consult the clock). */
  readonly at: string;
  readonly data: unknown;
}

export interface Journal {
  append(record: JournalRecord): Promise<void>;
  /** Calls `apply` for every stored record, in order. */
  replay(apply: (record: JournalRecord) => void): Promise<void>;
  close(): Promise<void>;
}
