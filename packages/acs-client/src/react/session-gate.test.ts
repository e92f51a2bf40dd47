import { describe, expect, it } from "vitest";
import { SessionGate } from "./session-gate";

describe("SessionGate", () => {
  it("a waiter from before the open gets the value; later callers get it at once", async () => {
    const gate = new SessionGate<string>();
    const early = gate.wait();
    gate.open("session");
    await expect(early).resolves.toBe("session");
    await expect(gate.wait()).resolves.toBe("session");
  });

  it("fail rejects waiters and later callers until a retry; the next open serves them", async () => {
    const gate = new SessionGate<string>();
    const early = gate.wait();
    const reason = new Error("revoked");
    gate.fail(reason);
    await expect(early).rejects.toBe(reason);
    await expect(gate.wait()).rejects.toBe(reason);
    gate.retry();
    const next = gate.wait();
    gate.open("again");
    await expect(next).resolves.toBe("again");
  });

  it("after close, callers wait for the next session", async () => {
    const gate = new SessionGate<string>();
    gate.open("first");
    gate.close();
    const waiting = gate.wait();
    gate.open("second");
    await expect(waiting).resolves.toBe("second");
  });

  it("a caller's abort ends only its own wait, with an AbortError", async () => {
    const gate = new SessionGate<string>();
    const controller = new AbortController();
    const abandoned = gate.wait(controller.signal);
    const patient = gate.wait();
    controller.abort();
    await expect(abandoned).rejects.toMatchObject({ name: "AbortError" });
    await expect(gate.wait(controller.signal)).rejects.toMatchObject({ name: "AbortError" });
    gate.open("session");
    await expect(patient).resolves.toBe("session");
  });
});
