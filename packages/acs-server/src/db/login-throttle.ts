// Failed-sign-in throttling per (email, client address), in the database so every instance shares it.
// Each attempt is reserved (counted as a failure) in one atomic upsert BEFORE the password is
// checked, so parallel guesses cannot outrun the limit; a success deletes the pair's row.
import { sql } from "drizzle-orm";

import type { Database } from "./index";
import { normalizeEmail } from "./users";

export interface LoginThrottlePolicy {
  /** Failures of one (email, client) pair within `windowMinutes` that lock the pair. Default 5. */
  maxFailures?: number;
  /** Failures older than this are forgotten. Default 15 minutes. */
  windowMinutes?: number;
  /** The first lock's length; each further lock of the pair doubles it. Default 15 minutes. */
  lockMinutes?: number;
  /**
   * Failures of one email across all clients within the window above which the email is slowed: each
   * client then gets one attempt per window. A client with no failures of its own is never refused.
   * Default 20.
   */
  emailCeiling?: number;
}

export interface LoginReservation {
  /** False: refuse at once, without checking the password. */
  allowed: boolean;
  /** Attempts of the pair counted in the current window, this one included. */
  failures: number;
  lockedUntil: Date | null;
}

export interface LoginThrottle {
  /** Counts one attempt of the pair and says whether its password may be checked. */
  reserve(email: string, client: string, now?: Date): Promise<LoginReservation>;
  /** A correct password: forgets the pair's failures and locks. */
  succeeded(email: string, client: string): Promise<void>;
}

/** Doubling stops here (15 min × 2^10 ≈ 10 days). */
const MAX_LOCK_LEVEL = 10;

interface ReserveRow {
  failures: number;
  locked_until: Date | string | null;
  email_total: number;
}

export function createLoginThrottle(
  database: Database,
  policy: LoginThrottlePolicy = {},
): LoginThrottle {
  const { orm } = database;
  const maxFailures = Math.max(1, policy.maxFailures ?? 5);
  const windowMs = (policy.windowMinutes ?? 15) * 60_000;
  const lockMs = (policy.lockMinutes ?? 15) * 60_000;
  const emailCeiling = policy.emailCeiling ?? 20;

  return {
    async reserve(email, client, now = new Date()) {
      const key = normalizeEmail(email);
      const windowStart = new Date(now.getTime() - windowMs);
      const firstLock = maxFailures <= 1 ? new Date(now.getTime() + lockMs) : null;
      // `restart`: the pair's last lock is over or its window has passed, so counting starts again.
      // `counted`: the pair's attempts with this one. Reaching the limit locks the pair; while locked,
      // attempts keep counting (and stay above the limit, so they are refused).
      const locked = sql`(t.locked_until is not null and t.locked_until > ${now})`;
      const restart = sql`((t.locked_until is not null and t.locked_until <= ${now}) or (t.locked_until is null and t.window_start < ${windowStart}))`;
      const counted = sql`(case when ${restart} then 1 else t.failures + 1 end)`;
      // Only the conflicting row's own values (t.*) are read in SET: they are the locked, current row,
      // so concurrent attempts of one pair are counted one after another.
      const result: unknown = await orm.execute(sql`
        with email_total as (
          select coalesce(sum(failures), 0)::int as total from auth_login_throttle
          where email = ${key} and window_start >= ${windowStart}
        ),
        reserved as (
          insert into auth_login_throttle as t (email, client, failures, window_start, locked_until, lock_level)
          values (${key}, ${client}, 1, ${now}, ${firstLock}, ${firstLock ? 1 : 0})
          on conflict (email, client) do update set
            failures = ${counted},
            window_start = case when ${restart} then ${now} else t.window_start end,
            locked_until = case
              when ${locked} then t.locked_until
              when ${counted} >= ${maxFailures} then ${now}::timestamptz
                + (${lockMs}::float8 * power(2, least(t.lock_level, ${MAX_LOCK_LEVEL}))) * interval '1 millisecond'
              else null end,
            lock_level = case when not ${locked} and ${counted} >= ${maxFailures} then t.lock_level + 1 else t.lock_level end
          returning t.failures, t.locked_until
        )
        select reserved.failures, reserved.locked_until, email_total.total as email_total
        from reserved, email_total
      `);
      const row = (result as { rows: ReserveRow[] }).rows[0];
      if (!row) throw new Error("login throttle: upsert returned no row");
      // Above the email's ceiling each client gets one attempt per window (its first).
      const limit = row.email_total >= emailCeiling ? 1 : maxFailures;
      return {
        allowed: row.failures <= limit,
        failures: row.failures,
        lockedUntil: row.locked_until === null ? null : new Date(row.locked_until),
      };
    },

    async succeeded(email, client) {
      await orm.execute(
        sql`delete from auth_login_throttle where email = ${normalizeEmail(email)} and client = ${client}`,
      );
    },
  };
}
