// Identity state as snapshot records (compaction): live identities with their token generation,
// deleted ones as tombstones (id, generation, deletion time), so their tokens stay dead and a
// re-created id does not revive them.
import type { JournalRecord } from "../persistence/journal";
import type { IdentityRecord } from "./store";

export const IDENTITY_SNAPSHOT_RECORD = "identity.snapshot";
/** Identities per snapshot record: bounded lines, cheap to parse. */
const PER_RECORD = 1000;

interface IdentitySnapshotData {
  readonly identities: IdentityRecord[];
}

function snapshotEntry(identity: IdentityRecord): IdentityRecord {
  if (identity.deletedAt !== undefined) {
    return {
      id: identity.id,
      createdAt: identity.createdAt,
      tokenGeneration: identity.tokenGeneration,
      deletedAt: identity.deletedAt,
    };
  }
  return { ...identity };
}

export function* identitySnapshotRecords(
  identities: Iterable<IdentityRecord>,
  at: Date,
): Generator<JournalRecord> {
  const stamp = at.toISOString();
  let batch: IdentityRecord[] = [];
  for (const identity of identities) {
    batch.push(snapshotEntry(identity));
    if (batch.length === PER_RECORD) {
      yield { type: IDENTITY_SNAPSHOT_RECORD, at: stamp, data: { identities: batch } };
      batch = [];
    }
  }
  if (batch.length > 0)
    yield { type: IDENTITY_SNAPSHOT_RECORD, at: stamp, data: { identities: batch } };
}

/** Restores a snapshot record into `identities`; false when `record` is not one. */
export function restoreIdentitySnapshot(
  identities: Map<string, IdentityRecord>,
  record: JournalRecord,
): boolean {
  if (record.type !== IDENTITY_SNAPSHOT_RECORD) return false;
  for (const identity of (record.data as IdentitySnapshotData).identities)
    identities.set(identity.id, { ...identity });
  return true;
}
