// Presence through createCaller against the real emulator (tokens, grants) and a real database, with
// two server instances (two createAcsServices) sharing it: PostgreSQL (two pools, two LISTEN
// connections) or PGlite (one in-process database). The clock is injected; sweeps are driven by hand.
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

const createCaller = createCallerFactory(acsServerRouter);

export interface PresenceBackend {
  /** The databases of instance 1 and instance 2 (the same one for PGlite). */
  databases: [Database, Database];
  close(): Promise<void>;
}

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    const value = await promise;
    // A subscription's checks run before the stream is returned; reading it would surface late errors.
    if (value && typeof value === "object" && Symbol.asyncIterator in value) {
      await (value as AsyncIterable<unknown>)[Symbol.asyncIterator]().next();
    }
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a TRPCError");
}

export function describePresenceSuite(
  driverName: string,
  openBackend: () => Promise<PresenceBackend>,
) {
  describe(`presence on ${driverName}, two server instances`, () => {
    let acs: TestAcs;
    let backend: PresenceBackend;
    let one: AcsServices;
    let two: AcsServices;
    const clock = manualClock();

    beforeAll(async () => {
      [acs, backend] = await Promise.all([startTestAcs(), openBackend()]);
      const build = (database: Database) =>
        createAcsServices({
          env: readServerEnv({}),
          database,
          gateway: acs.gateway,
          now: clock.now,
          // Sweeps are driven by the tests (deterministic); the timer is tested separately.
          presence: { sweepIntervalMs: 0 },
        });
      [one, two] = await Promise.all([build(backend.databases[0]), build(backend.databases[1])]);
    });

    afterAll(async () => {
      await Promise.all([one?.close(), two?.close()]);
      await backend?.close();
      await acs?.close();
    });

    const on = (services: AcsServices, user: SessionUser | null) =>
      createCaller(createTRPCContext({ user, services })).acs;

    /** A user holding a current grant with presence, as after sign-in. */
    async function signedIn(
      name: string,
      scopes?: Array<"chat" | "presence">,
    ): Promise<SessionUser> {
      const user = await createTestUser(one.database, name);
      await on(one, user).token.issue(scopes ? { scopes } : {});
      return user;
    }

    /** `viewer` puts `subject` in a chat through addToChat on `services` (which makes them contacts). */
    async function find(services: AcsServices, viewer: SessionUser, subject: SessionUser) {
      const added = await on(services, viewer).directory.addToChat({ userIds: [subject.id] });
      expect(added.map((f) => f.userId)).toEqual([subject.id]);
    }

    it("a set on instance 1 reaches a watch on instance 2, after the current state", async () => {
      const [alice, bob] = await Promise.all([signedIn("Alice"), signedIn("Bob")]);
      await find(two, bob, alice);
      const watch = readWatch(await on(two, bob).presence.watch({ userIds: [alice.id] }));

      const initial = await watch.next();
      expect(initial).toMatchObject({
        userId: alice.id,
        state: "offline",
        text: null,
        lastSeen: null,
      });
      expect(initial.acsUserId).toMatch(/^8:acs:/);

      const set = await on(one, alice).presence.set({ state: "online" });
      expect(set).toMatchObject({
        userId: alice.id,
        state: "online",
        lastSeen: clock.now().toISOString(),
      });
      expect(await watch.next()).toEqual(set);

      await on(one, alice).presence.set({ state: "away", text: "  back at 3  " });
      expect(await watch.next()).toMatchObject({
        userId: alice.id,
        state: "away",
        text: "back at 3",
      });
      await on(one, alice).presence.set({ state: "busy" });
      expect(await watch.next()).toMatchObject({ state: "busy", text: null });
      await watch.stop();
    });

    it("a new watcher starts from the current state, and the subject may watch back (mutual)", async () => {
      const [carol, dan] = await Promise.all([signedIn("Carol"), signedIn("Dan")]);
      await find(one, carol, dan);
      await on(two, dan).presence.set({ state: "busy", text: "call" });
      // Dan never added Carol: Carol adding Dan to a chat made the visibility mutual.
      await on(one, carol).presence.set({ state: "online" });
      const dansView = readWatch(await on(two, dan).presence.watch({ userIds: [carol.id] }));
      expect(await dansView.next()).toMatchObject({ userId: carol.id, state: "online" });
      const carolsView = readWatch(
        await on(one, carol).presence.watch({
          acsUserIds: [(await on(one, dan).identity.me())!.acsUserId],
        }),
      );
      expect(await carolsView.next()).toMatchObject({
        userId: dan.id,
        state: "busy",
        text: "call",
      });
      await Promise.all([dansView.stop(), carolsView.stop()]);
    });

    it("a user without a heartbeat for 60 s becomes offline (readers at once, watchers by the sweep)", async () => {
      const [erin, frank] = await Promise.all([signedIn("Erin"), signedIn("Frank")]);
      await find(two, frank, erin);
      const watch = readWatch(await on(two, frank).presence.watch({ userIds: [erin.id] }));
      await watch.next(); // offline, never seen

      const beat = await on(one, erin).presence.heartbeat();
      expect(beat.state).toBe("online");
      expect(beat.heartbeatIntervalSeconds).toBe(24); // 60 s time-out / 2.5
      expect(await watch.next()).toMatchObject({ state: "online", lastSeen: beat.lastSeen });

      // Heartbeats within the timeout keep her online and notify nobody.
      clock.advance(30_000);
      await on(one, erin).presence.heartbeat();
      clock.advance(59_000);
      expect(await one.presence.sweep()).not.toContainEqual(
        expect.objectContaining({ userId: erin.id }),
      );

      clock.advance(2_000);
      // Before any sweep, a reader already sees her offline (never a stale `online`).
      const [stale] = await two.presence.read([erin.id]);
      expect(stale).toMatchObject({
        state: "offline",
        lastSeen: new Date(clock.now().getTime() - 61_000).toISOString(),
      });

      // Instance 1 sweeps; the watcher on instance 2 hears it through LISTEN/NOTIFY.
      const swept = await one.presence.sweep();
      expect(swept).toContainEqual(expect.objectContaining({ userId: erin.id, state: "offline" }));
      expect(await watch.next()).toMatchObject({ userId: erin.id, state: "offline", text: null });
      // Swept once: another instance's sweep finds nothing more for her.
      expect(await two.presence.sweep()).not.toContainEqual(
        expect.objectContaining({ userId: erin.id }),
      );

      // Her next heartbeat brings her back with the state she had chosen.
      await on(two, erin).presence.heartbeat();
      expect(await watch.next()).toMatchObject({ userId: erin.id, state: "online" });
      await watch.stop();
    });

    it("a chosen state survives a time-out: away comes back as away", async () => {
      const [gina, hal] = await Promise.all([signedIn("Gina"), signedIn("Hal")]);
      await find(one, hal, gina);
      await on(one, gina).presence.set({ state: "away", text: "lunch" });
      const watch = readWatch(await on(two, hal).presence.watch({ userIds: [gina.id] }));
      expect(await watch.next()).toMatchObject({ state: "away", text: "lunch" });
      clock.advance(61_000);
      await two.presence.sweep();
      expect(await watch.next()).toMatchObject({ state: "offline" });
      await on(one, gina).presence.heartbeat();
      expect(await watch.next()).toMatchObject({ state: "away", text: "lunch" });
      await watch.stop();
    });

    it("FORBIDDEN without a current grant that includes presence", async () => {
      const chatOnly = await signedIn("Ivy", ["chat"]);
      const someone = await signedIn("Jay");
      await find(one, chatOnly, someone);
      for (const call of [
        () => on(one, chatOnly).presence.set({ state: "online" }),
        () => on(one, chatOnly).presence.heartbeat(),
        () => on(two, chatOnly).presence.watch({ userIds: [someone.id] }),
        () => on(two, chatOnly).presence.allow({ userIds: [someone.id] }),
      ]) {
        const failure = await codeOf(call());
        expect(failure.code).toBe("FORBIDDEN");
        expect(failure.message).toContain("does not include the presence scope");
      }

      // Revoked grant: FORBIDDEN although the revoked grant had presence.
      const revoked = await signedIn("Kim");
      await on(one, revoked).presence.set({ state: "online" });
      await on(one, revoked).token.revoke();
      const afterRevoke = await codeOf(on(two, revoked).presence.heartbeat());
      expect(afterRevoke).toMatchObject({ code: "FORBIDDEN" });
      expect(afterRevoke.message).toContain("revoked");

      // Never issued a token.
      const never = await createTestUser(one.database, "Lee");
      expect(await codeOf(on(one, never).presence.set({ state: "online" }))).toMatchObject({
        code: "FORBIDDEN",
      });
    });

    it("FORBIDDEN to watch a stranger or an unknown ACS id; allow opens it", async () => {
      const [mia, ned] = await Promise.all([signedIn("Mia"), signedIn("Ned")]);
      const stranger = await codeOf(on(two, mia).presence.watch({ userIds: [ned.id] }));
      expect(stranger.code).toBe("FORBIDDEN");
      expect(stranger.message).toContain("not visible to you");
      expect(
        await codeOf(on(two, mia).presence.watch({ acsUserIds: ["8:acs:unknown_user"] })),
      ).toMatchObject({
        code: "FORBIDDEN",
      });
      // One visible user does not open the others.
      await find(one, mia, await signedIn("Oz"));
      expect(
        await codeOf(on(two, mia).presence.watch({ userIds: [ned.id, mia.id] })),
      ).toMatchObject({ code: "FORBIDDEN" });

      // Ned lets Mia (known to him by her ACS id, e.g. a thread participant) watch him.
      const miaAcsId = (await on(one, mia).identity.me())!.acsUserId;
      expect(await on(one, ned).presence.allow({ acsUserIds: [miaAcsId] })).toEqual({ allowed: 1 });
      const watch = readWatch(await on(two, mia).presence.watch({ userIds: [ned.id, mia.id] }));
      const first = [await watch.next(), await watch.next()].map((e) => e.userId).sort();
      expect(first).toEqual([mia.id, ned.id].sort());
      await watch.stop();
      // …but not the other way round.
      expect(await codeOf(on(one, ned).presence.watch({ userIds: [mia.id] }))).toMatchObject({
        code: "FORBIDDEN",
      });
    });

    it("UNAUTHORIZED without a user, BAD_REQUEST on bad input", async () => {
      for (const call of [
        () => on(one, null).presence.set({ state: "online" }),
        () => on(one, null).presence.heartbeat(),
        () => on(one, null).presence.allow({ userIds: ["x"] }),
        () => on(two, null).presence.watch({ userIds: ["x"] }),
      ]) {
        expect((await codeOf(call())).code).toBe("UNAUTHORIZED");
      }
      const pat = await signedIn("Pat");
      const tooLong = await codeOf(
        on(one, pat).presence.set({ state: "online", text: "x".repeat(81) }),
      );
      expect(tooLong.code).toBe("BAD_REQUEST");
      expect(tooLong.message).toContain("text");
      const badState = await codeOf(on(one, pat).presence.set({ state: "dnd" as "busy" }));
      expect(badState.code).toBe("BAD_REQUEST");
      expect((await codeOf(on(one, pat).presence.watch({ userIds: [] }))).code).toBe("BAD_REQUEST");
    });

    it("over HTTP: the fetch adapter streams the watch as SSE (the httpSubscriptionLink wire format)", async () => {
      const [sam, tess] = await Promise.all([signedIn("Sam"), signedIn("Tess")]);
      await find(one, tess, sam);
      const abort = new AbortController();
      const request = (user: SessionUser | null, input: unknown, signal?: AbortSignal) =>
        fetchRequestHandler({
          endpoint: "/api/trpc",
          req: new Request(
            `http://localhost/api/trpc/acs.presence.watch?input=${encodeURIComponent(JSON.stringify(input))}`,
            {
              headers: user ? { "x-test-user": user.id } : {},
              signal,
            },
          ),
          router: acsServerRouter,
          createContext: ({ req }) => {
            const id = req.headers.get("x-test-user");
            return createTRPCContext({
              user: id ? { id } : null,
              services: two,
              headers: req.headers,
            });
          },
        });

      const response = await request(tess, { userIds: [sam.id] }, abort.signal);
      expect(response.headers.get("content-type")).toContain("text/event-stream");
      const sse = readSse(response);
      expect(await sse.next()).toMatchObject({ event: "connected" });
      expect(JSON.parse((await sse.next()).data)).toMatchObject({
        userId: sam.id,
        state: "offline",
      });
      await on(one, sam).presence.set({ state: "busy", text: "demo" });
      expect(JSON.parse((await sse.next()).data)).toMatchObject({
        userId: sam.id,
        state: "busy",
        text: "demo",
      });
      abort.abort();
      await sse.cancel();

      // Refusals arrive as the SSE error event with the tRPC error shape.
      for (const [user, code] of [
        [null, "UNAUTHORIZED"],
        [sam, "FORBIDDEN"],
      ] as const) {
        const refused = readSse(
          await request(user, { userIds: [await signedIn("Uma").then((u) => u.id)] }),
        );
        const frames = [await refused.next(), await refused.next()];
        const error = frames.find((f) => f.event === "serialized-error");
        expect(JSON.parse(error!.data)).toMatchObject({ data: { code } });
        await refused.cancel();
      }
    });

    it("revoking the watcher's tokens on instance 1 ends its open stream on instance 2 with FORBIDDEN", async () => {
      const [xena, yuri] = await Promise.all([signedIn("Xena"), signedIn("Yuri")]);
      await find(two, yuri, xena);
      const watch = readWatch(await on(two, yuri).presence.watch({ userIds: [xena.id] }));
      await watch.next();
      // Someone else's revocation does not touch it.
      await on(one, xena).token.revoke();
      await on(one, xena).token.issue({});
      await on(one, xena).presence.set({ state: "online" });
      expect(await watch.next()).toMatchObject({ userId: xena.id, state: "online" });

      await on(one, yuri).token.revoke();
      const ended = await watch.next().then(
        () => null,
        (error: unknown) => error,
      );
      expect(ended).toBeInstanceOf(TRPCError);
      expect((ended as TRPCError).code).toBe("FORBIDDEN");
      expect((ended as TRPCError).message).toContain("revoked");
    });

    it("a stopped stream unregisters its watcher", async () => {
      const [quinn, ray] = await Promise.all([signedIn("Quinn"), signedIn("Ray")]);
      await find(two, ray, quinn);
      const watch = readWatch(await on(two, ray).presence.watch({ userIds: [quinn.id] }));
      await watch.next();
      await watch.stop();
      const again = readWatch(await on(two, ray).presence.watch({ userIds: [quinn.id] }));
      await again.next();
      await on(one, quinn).presence.set({ state: "online" });
      expect(await again.next()).toMatchObject({ state: "online" });
      await again.stop();
    });
  });
}
