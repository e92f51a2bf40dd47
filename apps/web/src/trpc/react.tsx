"use client";
// The tRPC client and TanStack Query for the browser: batched HTTP for queries and mutations,
// server-sent events for subscriptions. Components call the typed client directly (useTRPCClient)
// and use TanStack Query's own hooks with `trpcQueryKey` for caching, which keeps
// @trpc/tanstack-react-query (about 3.4 KiB gzip) off the initial load of every signed-in page.
import type { AppRouter } from "@acs-stack/acs-server";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createContext, useContext, useState, type ReactNode } from "react";
import { MAX_TRPC_BATCH_CALLS } from "~/lib/trpc-limits";

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, refetchOnWindowFocus: false },
    },
  });
}

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

/**
 * A stable TanStack Query key for a tRPC query: the procedure's path, then its input (undefined for
 * none), so two components asking the same thing share one cache entry.
 */
export function trpcQueryKey(path: string, input?: unknown): readonly unknown[] {
  return input === undefined ? ["trpc", path] : ["trpc", path, input];
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(createBrowserTRPCClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCClientContext.Provider value={trpcClient}>{children}</TRPCClientContext.Provider>
    </QueryClientProvider>
  );
}
