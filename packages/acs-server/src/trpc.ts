// tRPC set-up (create-t3-turbo style): context, the error boundary, public and protected procedures.
import { TRPCError, initTRPC } from "@trpc/server";
import { ZodError, z } from "zod";

import { isProduction } from "./env";
import { RateLimitedError, toTRPCError } from "./errors";
import type { RequestLog } from "./observability/call-log";
import { failureFields, levelOf, outcomeOf } from "./observability/call-log";
import type { TeamsSignIn } from "./domain/teams";
import type { AcsServices } from "./services";
import type { SessionUser } from "./contract";

export type { SessionUser } from "./contract";

export interface CreateContextOptions {
  /** The signed-in app user, or null. The host app resolves it from its own session. */
  user: SessionUser | null;
  services: AcsServices;
  headers?: Headers;
  /**
   * Asks the host app whether the caller's sign-in session is still live. Procedures that waited
   * (e.g. a token issue queued behind "sign out everywhere") call it again before they act.
   */
  sessionActive?: () => Promise<boolean>;
  /** Where each call logs its one line (request id, procedure, outcome, latency); none: not logged. */
  log?: RequestLog;
  /**
   * The caller's Microsoft Entra sign-in for acs.teams.exchangeToken: their Entra access token for ACS
   * (Teams scopes), the app's Entra client id and their object id; null when they did not sign in
   * with Entra ID. Called only by that procedure; the token stays on the server.
   */
  teamsUserToken?: () => Promise<TeamsSignIn | null>;
}

export function createTRPCContext(opts: CreateContextOptions) {
  return {
    user: opts.user,
    services: opts.services,
    headers: opts.headers ?? new Headers(),
    sessionActive: opts.sessionActive ?? (() => Promise.resolve(true)),
    log: opts.log ?? null,
    teamsUserToken: opts.teamsUserToken ?? (() => Promise.resolve(null)),
  };
}

export type TRPCContext = ReturnType<typeof createTRPCContext>;

const production = isProduction();

const t = initTRPC.context<TRPCContext>().create({
  // tRPC adds `data.stack` in development; production answers carry no stack or file paths.
  isDev: !production,
  // Subscriptions over SSE (acs.presence.watch): a ping keeps idle streams alive through proxies, and
  // httpSubscriptionLink reconnects by itself when it hears nothing for 30 s.
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 30_000 },
  },
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const zodError = cause instanceof ZodError ? cause : null;
    const { stack, ...data } = shape.data;
    return {
      ...shape,
      // A readable zod message ("✖ Too small: expected number to be >=60 → at expiresInMinutes").
      message: zodError ? z.prettifyError(zodError) : shape.message,
      data: {
        ...data,
        ...(production ? {} : { stack }),
        zodError: zodError ? z.flattenError(zodError) : null,
        retryAfterSeconds: cause instanceof RateLimitedError ? cause.retryAfterSeconds : null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/** The one place failures become tRPC errors (ACS, DB and domain errors; see errors.ts). */
const errorBoundary = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

/**
 * One log line per call, outside the error boundary so it sees the mapped code (and input validation
 * and sign-in refusals, which run after it). Failures log their code and cause class, never a message.
 */
const callLog = t.middleware(async ({ ctx, path, type, next }) => {
  if (!ctx.log) return next();
  const started = performance.now();
  const result = await next();
  const outcome = result.ok ? "ok" : outcomeOf(result.error);
  const { logger, requestId, tagUser } = ctx.log;
  logger[levelOf(outcome)](
    {
      requestId,
      procedure: path,
      type,
      outcome,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      userTag: ctx.user ? tagUser(ctx.user.id) : null,
      ...(result.ok ? {} : failureFields(result.error)),
    },
    "trpc call",
  );
  return result;
});

export const publicProcedure = t.procedure.use(callLog).use(errorBoundary);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to use ACS." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});
