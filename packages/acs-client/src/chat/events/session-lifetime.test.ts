import { expect, it } from "vitest";
import { SessionLifetime } from "./session-lifetime";

it("close wakes every sleeper at once and aborts the signal; a later sleep returns at once", async () => {
  const lifetime = new SessionLifetime();
  const sleeping = Promise.all([lifetime.sleep(60_000), lifetime.sleep(60_000)]);
  expect(lifetime.close()).toBe(true);
  expect(lifetime.close()).toBe(false);
  await sleeping; // would time the test out if close did not wake them
  expect(lifetime.signal.aborted).toBe(true);
  await lifetime.sleep(60_000);
});
