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

/**
 * Today's state as records: replaying them (then the journal's tail) rebuilds the state exactly,
 * without anything deleted. Called synchronously while no record is between write and apply.
 */
export type SnapshotSource = (at: Date) => Iterable<JournalRecord>;

export interface Journal {
  append(record: JournalRecord): Promise<void>;
  /** Calls `apply` for every stored record, in order. */
  replay(apply: (record: JournalRecord) => void): Promise<void>;
  /**
   * After replay: compacts into a snapshot of `source` now (when the journal holds records) and
   * whenever it grows past its threshold. A no-op for journals that keep nothing.
   */
  enableCompaction(source: SnapshotSource): void;
  /** Waits for a running compaction and pending appends, then refuses further appends. */
  close(): Promise<void>;
}
