import { expect, it } from "vitest";
import { formatShortTime } from "./short-time";

const now = new Date(2026, 10, 29, 15, 30); // Sunday 29 November 2026, 15:30 local time

it("shows the time today, the weekday this week, the date before, the year when not this one", () => {
  expect(formatShortTime(new Date(2026, 10, 29, 9, 5), now, "en-GB")).toBe("9:05");
  expect(formatShortTime(new Date(2026, 10, 29, 9, 5), now, "en-US")).toMatch(/^9:05\sAM$/);
  expect(formatShortTime(new Date(2026, 10, 28, 23, 59), now, "en-GB")).toBe("Sat");
  expect(formatShortTime(new Date(2026, 10, 23, 8, 0), now, "en-GB")).toBe("Mon");
  expect(formatShortTime(new Date(2026, 10, 22, 8, 0), now, "en-GB")).toBe("22 Nov");
  expect(formatShortTime(new Date(2026, 10, 22, 8, 0), now, "de-DE")).toBe("22. Nov.");
  expect(formatShortTime(new Date(2025, 0, 3, 8, 0), now, "en-GB")).toBe("3 Jan 2025");
});
