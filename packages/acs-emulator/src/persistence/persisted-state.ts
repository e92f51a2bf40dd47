// The modules whose state lives in the journal, behind one `apply` (replay) and one `snapshot`
// (compaction). Each module restores its own snapshot records in its `apply`. Records no module
// claims (e.g. written by a newer emulator) are kept as they are, so compaction never drops them.
import type { Logger } from "../modules";
import type { JournalRecord, SnapshotSource } from "./journal";

export interface PersistedModule {
  /** Applies a journal or snapshot record; false when the record is not this module's. */
  apply(record: JournalRecord): boolean;
  /** Records that rebuild this module's state of today, and nothing deleted. */
  snapshot(at: Date): Iterable<JournalRecord>;
}

export interface PersistedState {
  apply(record: JournalRecord): void;
  readonly snapshot: SnapshotSource;
}

export function createPersistedState(
  modules: readonly PersistedModule[],
  log: Logger,
): PersistedState {
  const unclaimed: JournalRecord[] = [];
  return {
    apply(record) {
      for (const module of modules) if (module.apply(record)) return;
      log.warn("journal: unknown record type kept as is", { type: record.type });
      unclaimed.push(record);
    },
    *snapshot(at) {
      for (const module of modules) yield* module.snapshot(at);
      yield* unclaimed;
    },
  };
}
