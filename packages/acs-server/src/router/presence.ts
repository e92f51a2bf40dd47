import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { PRESENCE_STATES } from "../contract";
import { toTRPCError } from "../errors";
import { protectedProcedure } from "../trpc";
import { idSchema, presenceTextSchema } from "../validation";

export const PRESENCE_WATCH_MAX = 100;

const idList = z.array(idSchema).max(PRESENCE_WATCH_MAX);

/** Users named by app user id and/or ACS user id (thread participants are known by their ACS id). */
const targetsInput = z
  .object({ userIds: idList.optional(), acsUserIds: idList.optional() })
  .strict()
  .refine((t) => (t.userIds?.length ?? 0) + (t.acsUserIds?.length ?? 0) > 0, {
    message: "Name at least one user in userIds or acsUserIds.",
  })
  .refine((t) => (t.userIds?.length ?? 0) + (t.acsUserIds?.length ?? 0) <= PRESENCE_WATCH_MAX, {
    message: `At most ${PRESENCE_WATCH_MAX} users at once.`,
  });

/** Errors after the stream started (e.g. grants revoked) bypass the middleware: map them here. */
async function* mapStreamErrors<T>(stream: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* stream;
  } catch (error) {
    throw toTRPCError(error);
  }
}

export const presenceRouter = {
  /** Sets the caller's state and optional status text (omitted text clears it). Counts as a heartbeat. */
  set: protectedProcedure
    .input(
      z
        .object({
          state: z.enum(PRESENCE_STATES),
          text: presenceTextSchema.nullish(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => ctx.services.presence.set(ctx.user.id, input)),

  /** Keeps the caller online; send every 20–30 s (no heartbeat for 60 s → offline). */
  heartbeat: protectedProcedure.mutation(({ ctx }) => ctx.services.presence.heartbeat(ctx.user.id)),

  /** Lets the named users (e.g. the participants of the caller's threads) watch the caller's presence. */
  allow: protectedProcedure
    .input(targetsInput)
    .mutation(({ ctx, input }) => ctx.services.presence.allow(ctx.user.id, input)),

  /**
   * SSE subscription (httpSubscriptionLink): the current state of each named user, then every change.
   * Only users who allowed the caller or share a chat the app set up with the caller (else FORBIDDEN);
   * at most 5 streams per user (TOO_MANY_REQUESTS); ends when the caller's grant is revoked or expires,
   * and normally after ACS_PRESENCE_WATCH_MAX_SECONDS (before a serverless function's time limit):
   * the client then subscribes again and gets the current state first.
   */
  watch: protectedProcedure
    .input(targetsInput)
    .subscription(async ({ ctx, input, signal }) =>
      mapStreamErrors(await ctx.services.presence.watch(ctx.user.id, input, signal)),
    ),
} satisfies TRPCRouterRecord;
