// What readers see of presence rows (src/domain/presence-events.ts): lazy expiry and the per-stream
// news filter, without a database.
import { describe, expect, it } from "vitest";

import type { PresenceEvent } from "../../src/db/presence";
import { createNewsFilter, effectivePresence } from "../../src/domain/presence-events";

const row = {
  userId: "u1",
  acsUserId: "8:acs:x",
  state: "online" as const,
  text: "in a meeting",
  lastSeen: new Date("2026-01-01T10:00:00.000Z"),
  timedOutAt: null,
  revision: 3,
};

const event = (overrides: Partial<PresenceEvent>): PresenceEvent => ({
  userId: "u1",
  acsUserId: "8:acs:x",
  state: "online",
  text: null,
  lastSeen: "2026-01-01T10:00:00.000Z",
  revision: 1,
  ...overrides,
});

describe("effectivePresence", () => {
  it("keeps a fresh row and turns a stale one offline without its text", () => {
    expect(effectivePresence(row, new Date("2026-01-01T09:59:00.000Z"))).toMatchObject({
      state: "online",
      text: "in a meeting",
      revision: 3,
    });
    expect(effectivePresence(row, new Date("2026-01-01T10:00:01.000Z"))).toMatchObject({
      state: "offline",
      text: null,
      lastSeen: "2026-01-01T10:00:00.000Z",
    });
  });

  it("a user who never reported is offline with no last-seen", () => {
    const never = { ...row, state: null, lastSeen: null, revision: null };
    expect(effectivePresence(never, new Date(0))).toMatchObject({
      state: "offline",
      lastSeen: null,
      revision: 0,
    });
  });
});

describe("createNewsFilter", () => {
  it("passes the first event and real changes, drops heartbeats and older revisions", () => {
    const isNews = createNewsFilter();
    expect(isNews(event({ revision: 2 }))).toBe(true);
    // Same revision, later heartbeat, same state: not news.
    expect(isNews(event({ revision: 2, lastSeen: "2026-01-01T10:00:20.000Z" }))).toBe(false);
    expect(isNews(event({ revision: 1, state: "busy" }))).toBe(false);
    expect(isNews(event({ revision: 3, state: "busy" }))).toBe(true);
    // A time-out computed on read at the same revision is news.
    expect(
      isNews(event({ revision: 3, state: "offline", lastSeen: "2026-01-01T10:00:20.000Z" })),
    ).toBe(true);
  });
});
