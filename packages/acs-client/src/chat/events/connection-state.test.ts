import { expect, it } from "vitest";
import type { ConnectionState } from "../types";
import { ConnectionStateTracker } from "./connection-state";

it("push wins; without it a failed poll is offline, else polling or reconnecting by source", () => {
  const tracker = new ConnectionStateTracker("emulator-events");
  const seen: ConnectionState[] = [];
  tracker.subscribe((state) => seen.push(state));
  expect(tracker.get()).toBe("reconnecting");
  tracker.setPushConnected(true, true);
  tracker.setPollOk(false); // push still connected: stays live
  tracker.setPushConnected(false);
  tracker.setPollOk(true);
  expect(seen).toEqual(["live", "offline", "reconnecting"]);

  const polling = new ConnectionStateTracker("polling");
  expect(polling.get()).toBe("polling");
  polling.setPollOk(false);
  expect(polling.get()).toBe("offline");
});
