import { expect, it } from "vitest";
import * as api from "./index";

it("exposes the credential and the pipeline policies", () => {
  expect(typeof api.createAcsTokenCredential).toBe("function");
  expect(typeof api.emulatorLoopbackPolicies).toBe("function");
  expect(typeof api.tokenRefreshPolicies).toBe("function");
});
