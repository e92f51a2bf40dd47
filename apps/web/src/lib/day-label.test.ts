import { describe, expect, it } from "vitest";
import { dayLabel, fullDateTime, localDayNumber, shortTime } from "./day-label";

const berlin = { locale: "en-GB", timeZone: "Europe/Berlin" };

describe("dayLabel", () => {
  const now = new Date("2026-11-29T10:00:00Z"); // 11:00 in Berlin

  it("says Today and Yesterday by the reader's local day, not the UTC day", () => {
    // 23:30 UTC on the 28th is already the 29th in Berlin.
    expect(dayLabel(new Date("2026-11-28T23:30:00Z"), now, berlin)).toBe("Today");
    expect(dayLabel(new Date("2026-11-28T22:59:00Z"), now, berlin)).toBe("Yesterday");
    // In Los Angeles it is 02:00 on the 29th, which began at 08:00 UTC on the 29th.
    const la = { locale: "en-US", timeZone: "America/Los_Angeles" };
    expect(dayLabel(new Date("2026-11-29T08:00:00Z"), now, la)).toBe("Today");
    expect(dayLabel(new Date("2026-11-29T07:59:00Z"), now, la)).toBe("Yesterday");
    expect(dayLabel(new Date("2026-11-28T23:30:00Z"), now, la)).toBe("Yesterday");
  });

  it("writes older days in the locale, with the year only when it differs", () => {
    // Punctuation varies between ICU versions: the words and their order do not.
    expect(dayLabel(new Date("2026-11-20T12:00:00Z"), now, berlin)).toMatch(
      /^Friday,? 20 November$/,
    );
    expect(dayLabel(new Date("2026-11-20T12:00:00Z"), now, { ...berlin, locale: "de-DE" })).toMatch(
      /^Freitag, 20\. November$/,
    );
    expect(dayLabel(new Date("2025-12-31T12:00:00Z"), now, { ...berlin, locale: "en-US" })).toMatch(
      /^Wednesday, December 31, 2025$/,
    );
  });

  it("counts calendar days across a daylight-saving change", () => {
    // Berlin leaves summer time on 2026-10-25: 23 h and 25 h days still count as one day each.
    const after = new Date("2026-10-26T00:30:00Z");
    expect(dayLabel(new Date("2026-10-25T00:30:00Z"), after, berlin)).toBe("Yesterday");
    expect(
      localDayNumber(after, berlin) - localDayNumber(new Date("2026-10-24T12:00:00Z"), berlin),
    ).toBe(2);
  });
});

describe("times", () => {
  const at = new Date("2026-11-29T13:05:00Z");
  it("shows a short time and a full date-time in the locale and zone", () => {
    expect(shortTime(at, berlin)).toBe("14:05");
    expect(shortTime(at, { locale: "en-US", timeZone: "UTC" })).toBe("1:05 PM");
    expect(fullDateTime(at, berlin)).toMatch(/^Sunday,? 29 November 2026.* 14:05$/);
  });
});
