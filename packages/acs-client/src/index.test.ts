import { expect, it } from "vitest";
import * as api from "./index";

it("exposes its public API", () => {
  expect(Object.keys(api).length).toBeGreaterThan(0);
});
