// Presence under load from one user (issue item 8): per-user limits on set and heartbeat, a cap on
// open watch streams, a bounded queue per stream, and streams that end when the watcher's grant
// expires. Real emulator and PGlite; the clock is injected (limits count per clock minute).
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../../src/db";
import { createDatabase } from "../../src/db";
import { readServerEnv } from "../../src/env";
import { acsServerRouter } from "../../src/root";
import type { AcsServices } from "../../src/services";
import { createAcsServices } from "../../src/services";
import type { SessionUser } from "../../src/contract";
import { createCallerFactory, createTRPCContext } from "../../src/trpc";
import type { TestAcs } from "../helpers/emulator";
import { startTestAcs } from "../helpers/emulator";
import { manualClock, readWatch } from "../helpers/presence";
import { failureOf, httpTransport } from "../helpers/transports";
import { createTestUser } from "../helpers/users";

const createCaller = createCallerFactory(acsServerRouter);
const SETS_PER_MINUTE = 4;
const HEARTBEATS_PER_MINUTE = 3;
const STREAMS_PER_USER = 3;
const QUEUE_MAX = 2;

let acs: TestAcs;
let database: Database;
let services: AcsServices;
const clock = manualClock(Date.parse("2026-02-01T00:00:00Z"));

beforeAll(async () => {
  [acs, database] = await Promise.all([startTestAcs(), createDatabase({ memory: true })]);
  services = await createAcsServices({
    env: readServerEnv({}),
    database,
    gateway: acs.gateway,
    now: clock.now,
    presence: {
      sweepIntervalMs: 0,
      watchStreamsPerUser: STREAMS_PER_USER,
      watchQueueMax: QUEUE_MAX,
    },
    callLimitsPerMinute: { presenceSet: SETS_PER_MINUTE, presenceHeartbeat: HEARTBEATS_PER_MINUTE },
  });
});

afterAll(async () => {
  await services?.close();
  await database?.close();
  await acs?.close();
});

const on = (user: SessionUser) => createCaller(createTRPCContext({ user, services })).acs;

async function signedIn(name: string, expiresInMinutes?: number): Promise<SessionUser> {
  const user = await createTestUser(database, name);
  await on(user).token.issue(expiresInMinutes ? { expiresInMinutes } : {});
  return user;
}

/** The TRPCError a stream ends with, skipping the events before it. */
async function endOf(reader: ReturnType<typeof readWatch>): Promise<TRPCError> {
  for (;;) {
    try {
      await reader.next();
    } catch (error) {
      if (error instanceof TRPCError) return error;
      throw error;
    }
  }
}

describe("per-user limits", () => {
  it("presence.set: TOO_MANY_REQUESTS past the limit, for this user only, until the next minute", async () => {
    const [busy, calm] = [await signedIn("Busy"), await signedIn("Calm")];
    const http = httpTransport(services);
    for (let i = 0; i < SETS_PER_MINUTE; i++)
      await http.call(busy, "acs.presence.set", { state: "busy", text: `${i}` });
    const refused = await failureOf(http.call(busy, "acs.presence.set", { state: "away" }));
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429 });
    expect(refused.message).toMatch(/Too many presence updates; retry in \d+ s/);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await http.call(calm, "acs.presence.set", { state: "online" });
    clock.advance(60_000);
    await http.call(busy, "acs.presence.set", { state: "away" });
  });

  it("presence.heartbeat: TOO_MANY_REQUESTS past its own limit (separate from set)", async () => {
    const beater = await signedIn("Beater");
    const http = httpTransport(services);
    await http.call(beater, "acs.presence.set", { state: "online" });
    for (let i = 0; i < HEARTBEATS_PER_MINUTE; i++)
      await http.call(beater, "acs.presence.heartbeat");
    const refused = await failureOf(http.call(beater, "acs.presence.heartbeat"));
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429 });
    expect(refused.message).toMatch(/Too many presence heartbeats/);
    clock.advance(60_000);
    await http.call(beater, "acs.presence.heartbeat");
  });

  it("the default heartbeat limit is 4× the pace the server asks for: 10 a minute for 60 s, 60 for the e2e's 10 s", async () => {
    const { defaultHeartbeatsPerMinute } = await import("../../src/domain/presence");
    expect(defaultHeartbeatsPerMinute(60_000)).toBe(10);
    expect(defaultHeartbeatsPerMinute(10_000)).toBe(60);
  });
});

describe("watch streams", () => {
  it(`at most ${STREAMS_PER_USER} open streams per user; closing one makes room`, async () => {
    const [watcher, other] = [await signedIn("Watcher"), await signedIn("Other")];
    const streams = [];
    for (let i = 0; i < STREAMS_PER_USER; i++) {
      const stream = readWatch(await on(watcher).presence.watch({ userIds: [watcher.id] }));
      expect(await stream.next()).toMatchObject({ userId: watcher.id });
      streams.push(stream);
    }
    const refused = await on(watcher)
      .presence.watch({ userIds: [watcher.id] })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("TOO_MANY_REQUESTS");
    expect((refused as TRPCError).message).toContain(
      `At most ${STREAMS_PER_USER} presence watch streams`,
    );
    // Someone else still may.
    const others = readWatch(await on(other).presence.watch({ userIds: [other.id] }));
    await others.next();
    await streams.pop()!.stop();
    const again = readWatch(await on(watcher).presence.watch({ userIds: [watcher.id] }));
    await again.next();
    await Promise.all([...streams, others, again].map((s) => s.stop()));
  });

  it("a reader that falls more than the queue's size behind is ended with TOO_MANY_REQUESTS", async () => {
    const [subject, slow, fast] = [
      await signedIn("Subject"),
      await signedIn("Slow"),
      await signedIn("Fast"),
    ];
    await on(subject).presence.allow({ userIds: [slow.id, fast.id] });
    const slowView = readWatch(await on(slow).presence.watch({ userIds: [subject.id] }));
    const fastView = readWatch(await on(fast).presence.watch({ userIds: [subject.id] }));
    await Promise.all([slowView.next(), fastView.next()]);
    // Each change reaches both queues in the same dispatch: once the fast reader has seen it, the
    // slow queue holds it too.
    for (let i = 0; i <= QUEUE_MAX; i++) {
      await on(subject).presence.set({ state: "busy", text: `change ${i}` });
      expect(await fastView.next()).toMatchObject({ text: `change ${i}` });
    }
    const ended = await endOf(slowView);
    expect(ended.code).toBe("TOO_MANY_REQUESTS");
    expect(ended.message).toContain(`more than ${QUEUE_MAX} events behind`);
    await fastView.stop();
  });

  it("a stream ends with FORBIDDEN when the watcher's grant expires (not only when it is revoked)", async () => {
    const [watcher, subject] = [await signedIn("Expiring", 60), await signedIn("Watched")];
    await on(subject).presence.allow({ userIds: [watcher.id] });
    // To 300 ms before the grant expires (ACS set its expiry): the stream's timer fires 300 ms later.
    const grant = await services.grants.current(watcher.id);
    clock.advance(grant!.expiresOn.getTime() - clock.now().getTime() - 300);
    const view = readWatch(await on(watcher).presence.watch({ userIds: [subject.id] }));
    expect(await view.next()).toMatchObject({ userId: subject.id });
    const ended = await endOf(view);
    expect(ended.code).toBe("FORBIDDEN");
    expect(ended.message).toContain("expired");
  });
});
