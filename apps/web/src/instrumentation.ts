// Opens (and migrates) the database when the server boots rather than on the first sign-in.
export async function register() {
  // Set by Next itself; env.ts (Node-only) must not load in the Edge runtime.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getDatabase } = await import("./server/db");
  await getDatabase().catch((error: unknown) =>
    console.error("Database not ready at start-up:", error),
  );
}
