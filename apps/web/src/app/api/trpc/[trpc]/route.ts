// The acs.* router over HTTP. The signed-in user comes from next-auth's session, never from input.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createTRPCContext } from "@acs-stack/acs-server";
import { getServices, sessionActiveCheck } from "~/server/acs";
import { trpcLimits } from "~/server/http/trpc-limits";
import { withTrpcHttpDefences } from "~/server/http/trpc-http-defences";
import { currentUser } from "~/server/session";

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  // Null after sign-out or "Sign out everywhere" (the session's row is ended): every procedure then
  // answers UNAUTHORIZED; a procedure that waited asks `sessionActive` again before it acts.
  const { user } = await currentUser();
  const sessionActive = sessionActiveCheck(user);
  const services = await getServices();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createTRPCContext({ user, services, headers: req.headers, sessionActive }),
    ...trpcLimits,
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR")
        console.error(`tRPC ${path ?? "?"} failed:`, error);
    },
  });
}

// Cross-site requests, non-JSON mutations and oversized bodies are refused before the session is read.
const guarded = withTrpcHttpDefences(handler);
export { guarded as GET, guarded as POST };
