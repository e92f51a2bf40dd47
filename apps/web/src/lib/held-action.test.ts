import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { holdAction } from "./held-action";

describe("holdAction", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs once the time is up, not before", () => {
    const run = vi.fn();
    const held = holdAction(run, 5000);
    vi.advanceTimersByTime(4999);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(1);
    expect(held.settled).toBe(true);
    expect(held.undo()).toBe(false);
  });

  it("never runs once undone", () => {
    const run = vi.fn();
    const held = holdAction(run, 5000);
    expect(held.undo()).toBe(true);
    held.flush();
    vi.advanceTimersByTime(10_000);
    expect(run).not.toHaveBeenCalled();
  });

  it("runs at once on flush, and only once", () => {
    const run = vi.fn();
    const held = holdAction(run, 5000);
    held.flush();
    held.flush();
    vi.advanceTimersByTime(10_000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
