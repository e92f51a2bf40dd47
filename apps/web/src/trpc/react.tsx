"use client";
// The tRPC client for the browser: batched HTTP for queries and mutations,
// server-sent events for subscriptions. Components call the typed client directly (useTRPCClient),
// reading with `useRead` (use-read.ts): no query library in every signed-in page's initial load.
import type { AppRouter } from "~/server/api/root";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createContext, useContext, useState, type ReactNode } from "react";
import { MAX_TRPC_BATCH_CALLS } from "~/lib/trpc-limits";

export function createBrowserTRPCClient() {
  const url = "/api/trpc";
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url }),
        false: httpBatchLink({ url, maxItems: MAX_TRPC_BATCH_CALLS }),
      }),
    ],
  });
}

export type BrowserTRPCClient = ReturnType<typeof createBrowserTRPCClient>;

const TRPCClientContext = createContext<BrowserTRPCClient | null>(null);

/** The tab's typed tRPC client (one per TRPCReactProvider). */
export function useTRPCClient(): BrowserTRPCClient {
  const client = useContext(TRPCClientContext);
  if (!client) throw new Error("useTRPCClient needs a TRPCReactProvider above it");
  return client;
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [trpcClient] = useState(createBrowserTRPCClient);
  return <TRPCClientContext.Provider value={trpcClient}>{children}</TRPCClientContext.Provider>;
}
