// Identity state: which identities exist, their token generation (bumped on every revocation)
// and tombstones of deleted ones. Every change is journaled first, then applied; replay
// rebuilds the same state from the journal.
import type { Journal, JournalRecord } from "../persistence/journal";
import { identitySnapshotRecords, restoreIdentitySnapshot } from "./snapshot";

export interface IdentityRecord {
  readonly id: string;
  readonly createdAt: string;
  /** Tokens carry the generation they were issued in; a revocation bumps it. */
  tokenGeneration: number;
  revokedAt?: string;
  deletedAt?: string;
}

export const IDENTITY_RECORD = {
  created: "identity.created",
  tokensRevoked: "identity.tokensRevoked",
  deleted: "identity.deleted",
} as const;

interface IdentityRecordData {
  readonly id: string;
}

function isIdentityData(data: unknown): data is IdentityRecordData {
  return (
    typeof data === "object" && data !== null && typeof (data as { id?: unknown }).id === "string"
  );
}

export interface IdentityStore {
  /** Applies a journal record; false when it is not an identity record. */
  apply(record: JournalRecord): boolean;
  get(id: string): IdentityRecord | undefined;
  /** True while the identity exists and is not deleted. */
  exists(id: string): boolean;
  create(id: string, now: Date): Promise<IdentityRecord>;
  revokeTokens(id: string, now: Date): Promise<void>;
  delete(id: string, now: Date): Promise<void>;
  /** Calls `listener` right after a revocation or deletion takes effect (not during replay). */
  onTokensInvalidated(listener: (id: string) => void): void;
  /** Today's identities as snapshot records (journal compaction). */
  snapshot(at: Date): Iterable<JournalRecord>;
}

export function createIdentityStore(journal: Journal): IdentityStore {
  const identities = new Map<string, IdentityRecord>();
  const invalidationListeners: ((id: string) => void)[] = [];

  function apply(record: JournalRecord): boolean {
    if (!record.type.startsWith("identity.")) return false;
    if (restoreIdentitySnapshot(identities, record)) return true;
    if (!isIdentityData(record.data)) return true;
    const { id } = record.data;
    const existing = identities.get(id);
    switch (record.type) {
      case IDENTITY_RECORD.created:
        // A re-created id (Teams exchange) must not revive tokens of its deleted incarnation.
        identities.set(id, {
          id,
          createdAt: record.at,
          tokenGeneration: existing ? existing.tokenGeneration + 1 : 0,
        });
        break;
      case IDENTITY_RECORD.tokensRevoked:
        if (existing) {
          existing.tokenGeneration += 1;
          existing.revokedAt = record.at;
        }
        break;
      case IDENTITY_RECORD.deleted:
        if (existing) {
          existing.tokenGeneration += 1;
          existing.deletedAt = record.at;
        }
        break;
      default:
        break;
    }
    return true;
  }

  async function write(type: string, id: string, now: Date): Promise<void> {
    const record: JournalRecord = { type, at: now.toISOString(), data: { id } };
    await journal.append(record);
    apply(record);
    if (type !== IDENTITY_RECORD.created)
      for (const listener of invalidationListeners) listener(id);
  }

  return {
    apply,
    get: (id) => identities.get(id),
    exists: (id) => {
      const identity = identities.get(id);
      return identity !== undefined && identity.deletedAt === undefined;
    },
    async create(id, now) {
      await write(IDENTITY_RECORD.created, id, now);
      const identity = identities.get(id);
      if (!identity) throw new Error(`identity ${id} missing right after creation`);
      return identity;
    },
    revokeTokens: (id, now) => write(IDENTITY_RECORD.tokensRevoked, id, now),
    delete: (id, now) => write(IDENTITY_RECORD.deleted, id, now),
    onTokensInvalidated: (listener) => void invalidationListeners.push(listener),
    snapshot: (at) => identitySnapshotRecords(identities.values(), at),
  };
}
