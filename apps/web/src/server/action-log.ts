import "server-only";
// One log line per server action call, like acs-server's per-procedure line: request id, action,
// outcome, latency, user tag. Wrap an action where it is exported:
//   export const signInAction = loggedAction("auth.signIn", signIn);
import { headers } from "next/headers";
import { getLogger, requestIdFrom, runWithRequestId, userTag } from "./log";
import { currentUser } from "./session";

/** Next signals redirect() and notFound() by throwing errors that carry a `digest`. */
function nextSignalOf(error: unknown): string | undefined {
  const digest = (error as { digest?: unknown } | null)?.digest;
  if (typeof digest !== "string") return undefined;
  if (digest.startsWith("NEXT_REDIRECT")) return "redirect";
  if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK")) return "not-found";
  return undefined;
}

/** A form action that answered with an error for the form (e.g. wrong password) rather than throwing. */
function isFormRefusal(result: unknown): boolean {
  return typeof result === "object" && result !== null && "error" in result && !!result.error;
}

export function loggedAction<Args extends unknown[], Result>(
  name: string,
  action: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args) => {
    const requestId = requestIdFrom((await headers()).get("x-request-id"));
    // Read before the action (cached for the request): who called, even when the action signs out.
    const { user } = await currentUser();
    const started = performance.now();
    let outcome = "ok";
    let errorType: string | undefined;
    try {
      const result = await runWithRequestId(requestId, () => action(...args));
      if (isFormRefusal(result)) outcome = "refused";
      return result;
    } catch (error) {
      const signal = nextSignalOf(error);
      outcome = signal ?? "error";
      if (!signal) errorType = error instanceof Error ? error.name : typeof error;
      throw error;
    } finally {
      getLogger()[outcome === "error" ? "error" : outcome === "refused" ? "warn" : "info"](
        {
          requestId,
          action: name,
          outcome,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          userTag: user ? userTag(user.id) : null,
          errorType,
        },
        "server action",
      );
    }
  };
}
