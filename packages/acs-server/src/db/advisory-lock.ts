// A PostgreSQL session-level advisory lock per key, so one key's critical sections never overlap
// across every instance sharing the database.
//
// Why a dedicated pool: the holder of a lock runs work that needs connections of the main pool (and
// may wait for ACS). If lock connections came from that pool, waiters blocked in pg_advisory_lock
// could occupy every connection while the holder waits for one: a deadlock. A transaction-scoped lock
// (pg_advisory_xact_lock) would instead pin a main-pool connection for the whole ACS call. Here lock
// connections only ever lock and unlock, and an in-process queue in front keeps it to one waiting
// connection per key and process.
import type pg from "pg";

import { createPool } from "./connections";
import type { KeyedMutex } from "./keyed-mutex";
import { createKeyedMutex } from "./keyed-mutex";
import { asDatabaseUnavailable } from "./unavailable";

/** First key of the two-int advisory lock space for these locks ("ACS" 0x02); keys are hashed into the second. */
const ADVISORY_LOCK_NAMESPACE = 0x4143_5302;

export interface AdvisoryLocks {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * `connection` should be a direct one (DATABASE_URL_UNPOOLED behind PgBouncer): a session-level lock
 * and its unlock must reach the same server session. `max`: lock connections per instance, i.e. how
 * many different keys one instance can hold or wait for at once.
 */
export function createAdvisoryLocks(connection: pg.ClientConfig, max: number): AdvisoryLocks {
  // createPool ignores idle lock connections that drop (they hold no lock) and classifies failures.
  const pool = createPool({ ...connection, max });
  const local: KeyedMutex = createKeyedMutex();

  /**
   * Takes the lock, runs `fn` and hands its answer to `answered` at once, then unlocks once it settled.
   * The caller gets its answer without waiting for the unlock round trip (the lock is still held
   * meanwhile, which only makes the guarantee stronger); the next holder in this process starts after.
   */
  async function holding<T>(
    key: string,
    fn: () => Promise<T>,
    answered: (answer: Promise<T>) => void,
  ) {
    const client = await pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on("error", onError);
    const markBroken = (error: unknown) => {
      broken = error instanceof Error ? error : new Error(String(error));
    };
    try {
      // hashtext collisions only make two keys share a lock: slower, never unsafe.
      await client
        .query("select pg_advisory_lock($1, hashtext($2))", [ADVISORY_LOCK_NAMESPACE, key])
        .catch((error: unknown) => {
          markBroken(error);
          throw asDatabaseUnavailable(error) ?? error;
        });
      try {
        const answer = Promise.resolve().then(fn);
        answered(answer);
        await answer;
      } catch {
        // The caller sees the failure through `answer`.
      } finally {
        await client
          .query("select pg_advisory_unlock($1, hashtext($2))", [ADVISORY_LOCK_NAMESPACE, key])
          .catch(markBroken);
      }
    } finally {
      client.off("error", onError);
      // A connection that failed to unlock is closed: PostgreSQL then drops every lock it held.
      client.release(broken ?? false);
    }
  }

  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        // Failing to connect or to lock rejects here; once fn runs, its answer settles the promise.
        local.run(key, () => holding(key, fn, resolve)).catch(reject);
      });
    },
    close: () => pool.end(),
  };
}
