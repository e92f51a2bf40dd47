// Bench sizes, from the environment (the one place this package reads it).
import { z } from "zod";

export const benchEnv = z
  .object({
    MESSAGES: z.coerce.number().int().min(1).default(200),
    POLL_MESSAGES: z.coerce.number().int().min(1).default(40),
    POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(500),
  })
  .parse(process.env);
