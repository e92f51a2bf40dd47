// What the bench reads from the environment.
export const benchEnv = {
  path: process.env.PATH ?? "",
  /** load.ts: signed-in users, each issuing a token and refreshing it. */
  loadUsers: Number(process.env.BENCH_LOAD_USERS ?? 200),
  /** load.ts: requests in flight at once (the load generator's bound). */
  loadConcurrency: Number(process.env.BENCH_LOAD_CONCURRENCY ?? 16),
};
