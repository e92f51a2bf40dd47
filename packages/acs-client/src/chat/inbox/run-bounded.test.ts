import { expect, it } from "vitest";
import { runBounded } from "./run-bounded";

it("runs every task with at most `limit` in flight", async () => {
  let running = 0;
  let most = 0;
  const done: number[] = [];
  const tasks = Array.from({ length: 7 }, (_, i) => async () => {
    running += 1;
    most = Math.max(most, running);
    await Promise.resolve();
    await Promise.resolve();
    running -= 1;
    done.push(i);
  });
  await runBounded(tasks, 3);
  expect(done.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  expect(most).toBe(3);
});
