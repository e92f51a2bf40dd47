// Exactly one ACS identity per app user, created on first use, deleted on account deletion.
import type { CallLimit } from "./call-limits";
import { AcsGatewayError } from "../control-plane/identity-gateway";
import type { IdentityGateway } from "../control-plane/identity-gateway";
import type { GrantRepository } from "../db/grants";
import type { IdentityRepository, IdentityRow } from "../db/identities";
import { UnknownAppUserError, pgErrorCode } from "../errors";

export interface AcsIdentity {
  acsUserId: string;
  createdAt: Date;
}

export interface IdentityServiceDeps {
  gateway: IdentityGateway;
  identities: IdentityRepository;
  grants: GrantRepository;
  /** Bounds ACS identity creations per user across instances. */
  /** Bounds ACS identity creations per user (delete + re-create must not mint them without end). */
  creationLimit: CallLimit;
  now: () => Date;
}

export function createIdentityService({
  gateway,
  identities,
  grants,
  creationLimit,
  now,
}: IdentityServiceDeps) {
  // Concurrent first calls within one process share one creation; across processes the DB decides.
  const pending = new Map<string, Promise<AcsIdentity>>();

  async function deleteIgnoringNotFound(acsUserId: string): Promise<void> {
    try {
      await gateway.deleteUser(acsUserId);
    } catch (error) {
      if (!(error instanceof AcsGatewayError && error.kind === "not-found")) throw error;
    }
  }

  /** Deletes in ACS first, then the mapping; a crash in between leaves status 'deleting' to resume. */
  async function finishDeletion(row: IdentityRow): Promise<void> {
    await identities.markDeleting(row.userId, row.acsUserId);
    await deleteIgnoringNotFound(row.acsUserId);
    await grants.revokeAll(row.userId, row.acsUserId, now(), "identity.deleted");
    await identities.remove(row.userId, row.acsUserId);
  }

  async function create(userId: string): Promise<AcsIdentity> {
    const existing = await identities.find(userId);
    if (existing?.status === "active") return existing;
    if (existing) await finishDeletion(existing);

    // Counted before ACS is asked, so refused and lost-race creations count too.
    await creationLimit.consume(userId);
    const { acsUserId } = await gateway.createUser();
    const createdAt = now();
    let won: boolean;
    try {
      won = await identities.insertIfAbsent(userId, acsUserId, createdAt);
    } catch (error) {
      // Never leave an identity in ACS that no row points to.
      await deleteIgnoringNotFound(acsUserId).catch(() => undefined);
      if (pgErrorCode(error) === "23503") throw new UnknownAppUserError();
      throw error;
    }
    if (won) return { acsUserId, createdAt };
    // Another instance mapped this user first: drop ours and use theirs.
    await deleteIgnoringNotFound(acsUserId);
    const winner = await identities.find(userId);
    if (!winner || winner.status !== "active") return create(userId);
    return winner;
  }

  return {
    /** The user's live identity, without creating one. */
    async find(userId: string): Promise<AcsIdentity | undefined> {
      const row = await identities.find(userId);
      return row?.status === "active" ? row : undefined;
    },

    /** The user's ACS identity, created on first use (race-safe across calls and instances). */
    ensure(userId: string): Promise<AcsIdentity> {
      const inFlight = pending.get(userId);
      if (inFlight) return inFlight;
      const promise = create(userId).finally(() => pending.delete(userId));
      pending.set(userId, promise);
      return promise;
    },

    /** Deletes the user's identity in ACS and the mapping. Idempotent: a retry resumes a half-done deletion. */
    async remove(userId: string): Promise<void> {
      const row = await identities.find(userId);
      if (row) await finishDeletion(row);
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
