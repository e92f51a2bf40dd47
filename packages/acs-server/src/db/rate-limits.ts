// Per-user fixed-window counter for token issuance, kept in the DB so every instance shares it. The
// same statement reads the user's live ACS identity, so the hot path needs only this round trip
// before calling ACS. Other per-user limits count in the same table (see call-counters.ts).
import { sql } from "drizzle-orm";

import type { Orm } from "./index";

const WINDOW_MS = 60_000;

export interface RateLimitDecision {
  allowed: boolean;
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Seconds until the window resets (≥ 1). */
  retryAfterSeconds: number;
  /** The user's active ACS identity, when mapped (saves a second query on the hot path). */
  acsUserId: string | null;
}

interface ConsumeRow {
  count: number;
  window_start: Date | string;
  acs_user_id: string | null;
}

export function createTokenRateLimiter(orm: Orm) {
  return {
    /** Counts one issuance for the user and says whether it fits `limitPerMinute`. */
    async consume(userId: string, now: Date, limitPerMinute: number): Promise<RateLimitDecision> {
      const windowStart = new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS);
      // One atomic upsert: concurrent requests on any instance each get their own count.
      const result: unknown = await orm.execute(sql`
        with counted as (
          insert into token_rate_limits as l (user_id, window_start, count)
          values (${userId}, ${windowStart}, 1)
          on conflict (user_id) do update set
            count = case when l.window_start = excluded.window_start then l.count + 1 else 1 end,
            window_start = excluded.window_start
          returning l.count, l.window_start
        )
        select counted.count, counted.window_start,
          (select i.acs_user_id from acs_identities i where i.user_id = ${userId} and i.status = 'active') as acs_user_id
        from counted
      `);
      const row = (result as { rows: ConsumeRow[] }).rows[0];
      if (!row) throw new Error("rate limiter: upsert returned no row");
      const windowStartMs = new Date(row.window_start).getTime();
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((windowStartMs + WINDOW_MS - now.getTime()) / 1000),
      );
      return {
        allowed: row.count <= limitPerMinute,
        count: row.count,
        retryAfterSeconds,
        acsUserId: row.acs_user_id,
      };
    },
  };
}

export type TokenRateLimiter = ReturnType<typeof createTokenRateLimiter>;
