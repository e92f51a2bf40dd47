// fetchRequestHandler options for /api/trpc: at most 20 calls per batch (tRPC answers 400 beyond),
// and Retry-After on 429 answers.
import { MAX_TRPC_BATCH_CALLS } from "~/lib/trpc-limits";
import { retryAfterHeaders } from "./retry-after";

export const trpcLimits = {
  maxBatchSize: MAX_TRPC_BATCH_CALLS,
  responseMeta: ({ data }: { data: readonly unknown[] }) => ({ headers: retryAfterHeaders(data) }),
};
