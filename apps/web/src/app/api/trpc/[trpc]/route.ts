// The acs.* router over HTTP. The signed-in user comes from next-auth's session, never from input.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createTRPCContext } from "@acs-stack/acs-server";
import { getServices, sessionActiveCheck } from "~/server/acs";
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
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error);
    },
  });
}

export { handler as GET, handler as POST };
