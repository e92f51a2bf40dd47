import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "./backoff";

const backoff = { initialMs: 1000, maxMs: 10_000 };

describe("backoffDelayMs", () => {
  it("doubles from initialMs and stops at maxMs", () => {
    expect([0, 1, 2, 3, 4, 5].map((d) => backoffDelayMs(d, backoff))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it("full jitter (a factor in [0, 1)) stays in [0, cap) and reaches both ends", () => {
    expect([0, 1, 2, 3, 4, 5].map((d) => backoffDelayMs(d, backoff, 0.999999))).toEqual([
      999, 1999, 3999, 7999, 9999, 9999,
    ]);
    expect(backoffDelayMs(3, backoff, 0)).toBe(0);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelayMs(3, backoff, Math.random());
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(8000);
    }
  });

  it("a jitter above 1 spreads the step but never passes maxMs", () => {
    expect(backoffDelayMs(1, backoff, 1.2)).toBe(2400);
    expect(backoffDelayMs(3, backoff, 1.2)).toBe(9600);
    expect(backoffDelayMs(4, backoff, 1.2)).toBe(10_000);
    expect(backoffDelayMs(3, backoff, 0.8)).toBe(6400);
  });

  it("whole milliseconds, and no overflow or NaN however long the outage", () => {
    expect(backoffDelayMs(0, { initialMs: 250, maxMs: 10_000 }, 0.5001)).toBe(125);
    expect(backoffDelayMs(10_000, backoff)).toBe(10_000);
    expect(backoffDelayMs(10_000, { initialMs: 0, maxMs: 10_000 })).toBe(0);
    expect(backoffDelayMs(-3, backoff)).toBe(1000);
  });
});
