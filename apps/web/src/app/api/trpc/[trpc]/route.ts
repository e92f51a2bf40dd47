// The app's router (server/api/root.ts: acs.* and the app's own procedures) over HTTP. The signed-in
// user comes from next-auth's session, never from input.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createTRPCContext } from "@acs-stack/acs-server";
import { appRouter } from "~/server/api/root";
import { getServices, sessionActiveCheck } from "~/server/acs";
import { trpcLimits } from "~/server/http/trpc-limits";
import { withTrpcHttpDefences } from "~/server/http/trpc-http-defences";
import { getLogger, requestIdFrom, requestLog } from "~/server/log";
import { teamsUserTokenOf } from "~/server/entra/teams-user-token";
import { currentUser } from "~/server/session";

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  // Null after sign-out or "Sign out everywhere" (the session's row is ended): every procedure then
  // answers UNAUTHORIZED; a procedure that waited asks `sessionActive` again before it acts.
  const { user } = await currentUser();
  const sessionActive = sessionActiveCheck(user);
  const services = await getServices();
  // One id per HTTP request (a batch shares it): a proxy's x-request-id when sane, else a new one.
  const log = requestLog(requestIdFrom(req.headers.get("x-request-id")));
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () =>
      createTRPCContext({
        user,
        services,
        headers: req.headers,
        sessionActive,
        log,
        // acs.teams.exchangeToken only: the Entra token is read from the server-side store here.
        teamsUserToken: teamsUserTokenOf(user),
      }),
    ...trpcLimits,
    onError({ error, path }) {
      // Each call's line comes from acs-server's call log; an internal error adds where it happened:
      // the stack frames only, since the first line of a stack repeats the message (which may quote input).
      if (error.code === "INTERNAL_SERVER_ERROR") {
        getLogger().error(
          { requestId: log.requestId, procedure: path ?? null, frames: stackFrames(error.cause) },
          "trpc internal error",
        );
      }
    },
  });
  response.headers.set("x-request-id", log.requestId);
  return response;
}

function stackFrames(error: unknown): string | null {
  if (!(error instanceof Error) || !error.stack) return null;
  const frames = error.stack.split("\n").filter((line) => line.trimStart().startsWith("at "));
  return frames.map((line) => line.trim()).join(" | ") || null;
}

// Cross-site requests, non-JSON mutations and oversized bodies are refused before the session is read.
const guarded = withTrpcHttpDefences(handler);
export { guarded as GET, guarded as POST };
