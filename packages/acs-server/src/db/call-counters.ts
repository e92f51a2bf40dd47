// Per-key fixed-window call counters in the DB, shared by every instance. They reuse the rows of
// `token_rate_limits` (its `user_id` key is free text without a foreign key): each limit uses its own
// key prefix ("directory:<userId>"), so no counter collides with the token limiter's bare user ids.
import { sql } from "drizzle-orm";

import type { Orm } from "./index";

export interface CallCount {
  /** Calls counted in the current window, this one included. */
  count: number;
  /** Seconds until the window resets (≥ 1). */
  retryAfterSeconds: number;
}

interface CountRow {
  count: number;
  window_start: Date | string;
}

export function createCallCounters(orm: Orm) {
  return {
    /** Counts one call under `key` in the window of `windowMs` that contains `now`. */
    async increment(key: string, now: Date, windowMs: number): Promise<CallCount> {
      const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
      // One atomic upsert: concurrent calls on any instance each get their own count.
      const result: unknown = await orm.execute(sql`
        insert into token_rate_limits as l (user_id, window_start, count)
        values (${key}, ${windowStart}, 1)
        on conflict (user_id) do update set
          count = case when l.window_start = excluded.window_start then l.count + 1 else 1 end,
          window_start = excluded.window_start
        returning l.count, l.window_start
      `);
      const row = (result as { rows: CountRow[] }).rows[0];
      if (!row) throw new Error("call counter: upsert returned no row");
      const windowEnd = new Date(row.window_start).getTime() + windowMs;
      return {
        count: Number(row.count),
        retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)),
      };
    },
  };
}

export type CallCounters = ReturnType<typeof createCallCounters>;
