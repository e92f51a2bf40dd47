import { describe, expect, it } from "vitest";
import { formatCountdown } from "./countdown";

describe("formatCountdown", () => {
  it("shows hours, minutes and seconds, padded", () => {
    expect(formatCountdown((4 * 3600 + 5 * 60 + 9) * 1000 + 999)).toBe("4 h 05 min 09 s");
    expect(formatCountdown((3 * 60 + 7) * 1000)).toBe("3 min 07 s");
    expect(formatCountdown(999)).toBe("0 min 00 s");
  });
  it("says expired at and after zero", () => {
    expect(formatCountdown(0)).toBe("expired");
    expect(formatCountdown(-5000)).toBe("expired");
  });
});
