// Presence as a serverless host (Vercel) runs it: no sweeper timer (sweepIntervalMs 0), LISTEN that
// rejects or never delivers, and watch streams that end before the function's time limit. Real
// emulator, real database (PGlite or PostgreSQL); only `listen` is replaced, as the host breaks it.
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../../src/db";
import { readServerEnv } from "../../src/env";
import { acsServerRouter } from "../../src/root";
import type { AcsServices } from "../../src/services";
import { createAcsServices } from "../../src/services";
import type { SessionUser } from "../../src/contract";
import { createCallerFactory, createTRPCContext } from "../../src/trpc";
import type { TestAcs } from "../helpers/emulator";
import { startTestAcs } from "../helpers/emulator";
import { manualClock, readSse, readWatch } from "../helpers/presence";
import { createTestUser } from "../helpers/users";
import type { PresenceBackend } from "./presence-suite";

const createCaller = createCallerFactory(acsServerRouter);
/** Short, so the tests wait for ticks in milliseconds (the default is 5 s). */
const POLL_INTERVAL_MS = 40;
const SHORT_STREAM_MS = 400;

/** The same database with another `listen` (not closed by the services that use it). */
function withListen(database: Database, listen: Database["listen"]): Database {
  return { ...database, listen, close: () => Promise.resolve() };
}

export function describeServerlessPresenceSuite(
  driverName: string,
  openBackend: () => Promise<PresenceBackend>,
) {
  describe(`presence on ${driverName} without a sweeper timer or a working LISTEN`, () => {
    let acs: TestAcs;
    let backend: PresenceBackend;
    /** LISTEN works. */
    let listening: AcsServices;
    /** database.listen rejects (no direct connection for LISTEN). */
    let refused: AcsServices;
    let refusedListenCalls = 0;
    /** database.listen resolves but nothing ever arrives (a transaction-mode pooler). */
    let deaf: AcsServices;
    /** Watch streams end after SHORT_STREAM_MS. */
    let short: AcsServices;
    const clock = manualClock();

    beforeAll(async () => {
      [acs, backend] = await Promise.all([startTestAcs(), openBackend()]);
      const [first, second] = backend.databases;
      const build = (database: Database, watchMaxDurationMs = 0) =>
        createAcsServices({
          env: readServerEnv({}),
          database,
          gateway: acs.gateway,
          now: clock.now,
          presence: { sweepIntervalMs: 0, pollIntervalMs: POLL_INTERVAL_MS, watchMaxDurationMs },
        });
      [listening, refused, deaf, short] = await Promise.all([
        build(first),
        build(
          withListen(second, () => {
            refusedListenCalls += 1;
            return Promise.reject(new Error("LISTEN is not available on this connection"));
          }),
        ),
        build(withListen(second, () => Promise.resolve(() => Promise.resolve()))),
        build(second, SHORT_STREAM_MS),
      ]);
    });

    afterAll(async () => {
      await Promise.all([listening, refused, deaf, short].map((s) => s?.close()));
      await backend?.close();
      await acs?.close();
    });

    const on = (services: AcsServices, user: SessionUser) =>
      createCaller(createTRPCContext({ user, services })).acs;

    /** Two signed-in users (grants with presence) who share a chat the app set up. */
    async function contacts(a: string, b: string): Promise<[SessionUser, SessionUser]> {
      const [first, second] = await Promise.all(
        [a, b].map(async (name) => {
          const user = await createTestUser(listening.database, name);
          await on(listening, user).token.issue({});
          return user;
        }),
      );
      await on(listening, second!).directory.addToChat({ userIds: [first!.id] });
      return [first!, second!];
    }

    it("a silent user is offline on every read without any sweep, and an open watch hears it", async () => {
      const [ada, ben] = await contacts("Ada", "Ben");
      await on(listening, ada).presence.heartbeat();
      const watch = readWatch(await on(listening, ben).presence.watch({ userIds: [ada.id] }));
      expect(await watch.next()).toMatchObject({ userId: ada.id, state: "online" });

      clock.advance(61_000);
      // Read path: the service's read, a new watch's first snapshot, and the open watch (its tick
      // re-reads a watched user whose heartbeat went stale).
      expect((await listening.presence.read([ada.id]))[0]).toMatchObject({ state: "offline" });
      const fresh = readWatch(await on(listening, ben).presence.watch({ userIds: [ada.id] }));
      expect(await fresh.next()).toMatchObject({ userId: ada.id, state: "offline", text: null });
      expect(await watch.next()).toMatchObject({ userId: ada.id, state: "offline", text: null });

      // Nobody swept her: the sweeper still finds her, and only announces what readers already saw.
      expect(await listening.presence.sweep()).toContainEqual(
        expect.objectContaining({ userId: ada.id, state: "offline" }),
      );
      await on(listening, ada).presence.heartbeat();
      // The announcement (same state) is not repeated: the next event is her return.
      expect(await watch.next()).toMatchObject({ userId: ada.id, state: "online" });
      await Promise.all([watch.stop(), fresh.stop()]);
    });

    it("LISTEN rejected: the watch polls the database for changes, time-outs and revocations", async () => {
      const [cleo, dev] = await contacts("Cleo", "Dev");
      const callsBefore = refusedListenCalls;
      const watch = readWatch(await on(refused, dev).presence.watch({ userIds: [cleo.id] }));
      expect(await watch.next()).toMatchObject({
        userId: cleo.id,
        state: "offline",
        lastSeen: null,
      });

      await on(listening, cleo).presence.set({ state: "busy", text: "demo" });
      expect(await watch.next()).toMatchObject({ userId: cleo.id, state: "busy", text: "demo" });
      clock.advance(61_000);
      expect(await watch.next()).toMatchObject({ userId: cleo.id, state: "offline" });
      // LISTEN was tried again by the ticks (it may come back), not once and given up.
      expect(refusedListenCalls - callsBefore).toBeGreaterThan(1);

      // No revocation notice reaches a polling instance: the tick finds the revoked grant itself.
      await on(listening, dev).token.revoke();
      const ended = await watch.next().then(
        () => null,
        (error: unknown) => error,
      );
      expect(ended).toBeInstanceOf(TRPCError);
      expect((ended as TRPCError).code).toBe("FORBIDDEN");
    });

    it("LISTEN accepted but deaf: the unanswered ping switches the instance to polling", async () => {
      const [eli, fay] = await contacts("Eli", "Fay");
      const watch = readWatch(await on(deaf, fay).presence.watch({ userIds: [eli.id] }));
      expect(await watch.next()).toMatchObject({ userId: eli.id, state: "offline" });
      await on(listening, eli).presence.set({ state: "away", text: "lunch" });
      expect(await watch.next()).toMatchObject({ userId: eli.id, state: "away", text: "lunch" });
      await on(listening, eli).presence.set({ state: "online" });
      expect(await watch.next()).toMatchObject({ userId: eli.id, state: "online", text: null });
      await watch.stop();
    });

    it("a watch ends normally after its maximum duration; resubscribing starts from the current state", async () => {
      const [gus, hana] = await contacts("Gus", "Hana");
      const watch = readWatch(await on(short, hana).presence.watch({ userIds: [gus.id] }));
      expect(await watch.next()).toMatchObject({ userId: gus.id, state: "offline" });
      await watch.ended();

      await on(listening, gus).presence.set({ state: "busy" });
      const resumed = readWatch(await on(short, hana).presence.watch({ userIds: [gus.id] }));
      expect(await resumed.next()).toMatchObject({ userId: gus.id, state: "busy" });
      await on(listening, gus).presence.set({ state: "online" });
      expect(await resumed.next()).toMatchObject({ userId: gus.id, state: "online" });
      await resumed.ended();
    });

    it("over HTTP the end is tRPC's `return` event (httpSubscriptionLink completes, no error)", async () => {
      const [ivo, jan] = await contacts("Ivo", "Jan");
      const response = await fetchRequestHandler({
        endpoint: "/api/trpc",
        req: new Request(
          `http://localhost/api/trpc/acs.presence.watch?input=${encodeURIComponent(JSON.stringify({ userIds: [ivo.id] }))}`,
        ),
        router: acsServerRouter,
        createContext: () => createTRPCContext({ user: jan, services: short }),
      });
      const sse = readSse(response);
      expect(await sse.next()).toMatchObject({ event: "connected" });
      expect(JSON.parse((await sse.next()).data)).toMatchObject({ userId: ivo.id });
      expect((await sse.next()).event).toBe("return");
      await sse.cancel();
    });
  });
}
