// Per-user fixed-window counter for token issuance, kept in the DB so every instance shares it.
import { sql } from "drizzle-orm";

import type { Orm } from "./index";
import { tokenRateLimits } from "./schema";

const WINDOW_MS = 60_000;

export interface RateLimitDecision {
  allowed: boolean;
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Seconds until the window resets (≥ 1). */
  retryAfterSeconds: number;
}

export function createTokenRateLimiter(orm: Orm) {
  return {
    /** Counts one issuance for the user and says whether it fits `limitPerMinute`. */
    async consume(userId: string, now: Date, limitPerMinute: number): Promise<RateLimitDecision> {
      const windowStart = new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS);
      // One atomic upsert: concurrent requests on any instance each get their own count.
      const [row] = await orm
        .insert(tokenRateLimits)
        .values({ userId, windowStart, count: 1 })
        .onConflictDoUpdate({
          target: tokenRateLimits.userId,
          set: {
            count: sql`case when ${tokenRateLimits.windowStart} = excluded.window_start then ${tokenRateLimits.count} + 1 else 1 end`,
            windowStart: sql`excluded.window_start`,
          },
        })
        .returning({ count: tokenRateLimits.count, windowStart: tokenRateLimits.windowStart });
      if (!row) throw new Error("rate limiter: upsert returned no row");
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((row.windowStart.getTime() + WINDOW_MS - now.getTime()) / 1000),
      );
      return { allowed: row.count <= limitPerMinute, count: row.count, retryAfterSeconds };
    },
  };
}

export type TokenRateLimiter = ReturnType<typeof createTokenRateLimiter>;
