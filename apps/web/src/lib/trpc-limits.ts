// Shared by the browser's batch link and the server: the server refuses larger batches (400), so
// the client splits its batches at the same size.
export const MAX_TRPC_BATCH_CALLS = 20;
