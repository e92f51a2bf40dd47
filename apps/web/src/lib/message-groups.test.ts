import { describe, expect, it } from "vitest";
import { messageRows } from "./message-groups";

const options = { locale: "en-GB", timeZone: "Europe/Berlin" };
const now = new Date("2026-11-29T12:00:00Z");
const msg = (senderId: string | undefined, iso: string) => ({ senderId, createdOn: new Date(iso) });
const shape = (rows: ReturnType<typeof messageRows>) =>
  rows.map((r) =>
    r.kind === "day" ? `[${r.label}]` : `${r.message.senderId}${r.startsGroup ? "*" : ""}`,
  );

describe("messageRows", () => {
  it("groups consecutive messages of one sender within the gap", () => {
    const rows = messageRows(
      [
        msg("ada", "2026-11-29T10:00:00Z"),
        msg("ada", "2026-11-29T10:04:59Z"),
        msg("bob", "2026-11-29T10:05:00Z"),
        msg("ada", "2026-11-29T10:06:00Z"),
        msg("ada", "2026-11-29T10:20:00Z"), // 14 min later: a new group
      ],
      now,
      options,
    );
    expect(shape(rows)).toEqual(["[Today]", "ada*", "ada", "bob*", "ada*", "ada*"]);
  });

  it("starts a new day (and a new group) at the reader's local midnight", () => {
    const rows = messageRows(
      [
        msg("ada", "2026-11-27T12:00:00Z"),
        msg("ada", "2026-11-28T22:58:00Z"), // 23:58 in Berlin
        msg("ada", "2026-11-28T23:01:00Z"), // 00:01 in Berlin, 3 min later
      ],
      now,
      options,
    );
    expect(shape(rows)).toEqual([
      expect.stringMatching(/^\[Friday,? 27 November\]$/),
      "ada*",
      "[Yesterday]",
      "ada*",
      "[Today]",
      "ada*",
    ]);
  });

  it("never groups messages without a known sender", () => {
    const rows = messageRows(
      [msg(undefined, "2026-11-29T10:00:00Z"), msg(undefined, "2026-11-29T10:00:30Z")],
      now,
      options,
    );
    expect(shape(rows)).toEqual(["[Today]", "undefined*", "undefined*"]);
  });

  it("gives each day separator a stable key", () => {
    const first = messageRows([msg("ada", "2026-11-29T10:00:00Z")], now, options)[0];
    const again = messageRows([msg("bob", "2026-11-29T11:00:00Z")], now, options)[0];
    expect(first?.kind === "day" && again?.kind === "day" && first.key === again.key).toBe(true);
  });
});
