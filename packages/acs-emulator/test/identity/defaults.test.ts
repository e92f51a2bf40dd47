import { expect, it } from "vitest";
import { EMULATOR_DEFAULTS } from "../../src/index";

it("well-known dev keys are 64-byte base64 values and the resource id is a GUID", () => {
  for (const key of [EMULATOR_DEFAULTS.accessKey, EMULATOR_DEFAULTS.secondaryAccessKey]) {
    expect(Buffer.from(key, "base64")).toHaveLength(64);
    expect(Buffer.from(key, "base64").toString("base64")).toBe(key);
  }
  expect(EMULATOR_DEFAULTS.accessKey).not.toBe(EMULATOR_DEFAULTS.secondaryAccessKey);
  expect(EMULATOR_DEFAULTS.resourceId).toMatch(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  );
  expect(EMULATOR_DEFAULTS.port).toBe(10443);
});
