// Input validation of the Identity API: lifetime bounds, scopes, api-version, malformed bodies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULTS } from "../../src/index";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { resignWith } from "../support/request-policies";
import { createSpecValidationPolicy } from "../support/spec-validation";

let emulator: TestEmulator;
const recorder = createSpecValidationPolicy();

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.close();
  recorder.expectNoSpecViolations();
});

const client = () => emulator.identityClient({ policies: recorder.clientOption });

describe("expiresInMinutes bounds (60..1440)", () => {
  it.each([59, 1441, 0, -5])("getToken with %i minutes → 400", async (minutes) => {
    const user = await client().createUser();
    await expect(
      client().getToken(user, ["chat"], { tokenExpiresInMinutes: minutes }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: "ValidationError",
    });
  });

  it.each([59, 1441])(
    "createUserAndToken with %i minutes → 400 and creates no token",
    async (minutes) => {
      await expect(
        client().createUserAndToken(["chat"], { tokenExpiresInMinutes: minutes }),
      ).rejects.toMatchObject({
        statusCode: 400,
      });
    },
  );

  it.each([60, 1440])(
    "getToken and createUserAndToken with %i minutes succeed",
    async (minutes) => {
      const before = Date.now();
      const created = await client().createUserAndToken(["chat"], {
        tokenExpiresInMinutes: minutes,
      });
      const issued = await client().getToken(created.user, ["chat"], {
        tokenExpiresInMinutes: minutes,
      });
      const after = Date.now();
      // Issued somewhere between `before` and `after` (whole seconds, as JWT `exp` is): the expiry
      // is `minutes` after that moment, whatever the machine's load made the window.
      for (const expiresOn of [created.expiresOn, issued.expiresOn]) {
        expect(expiresOn.getTime()).toBeGreaterThanOrEqual(before - 1000 + minutes * 60_000);
        expect(expiresOn.getTime()).toBeLessThanOrEqual(after + minutes * 60_000);
      }
    },
  );
});

describe("scopes", () => {
  it("an unknown scope → 400", async () => {
    const user = await client().createUser();
    await expect(client().getToken(user, ["bogus" as "chat"])).rejects.toMatchObject({
      statusCode: 400,
      code: "ValidationError",
    });
    await expect(client().createUserAndToken(["chat", "admin" as "chat"])).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it("an empty scope list → 400", async () => {
    const user = await client().createUser();
    await expect(client().getToken(user, [])).rejects.toMatchObject({ statusCode: 400 });
  });
});

describe("api-version and body", () => {
  it("another api-version → 400 UnsupportedApiVersion", async () => {
    const old = emulator.identityClient({
      apiVersion: "2021-03-07",
      policies: recorder.clientOption,
    });
    await expect(old.createUser()).rejects.toMatchObject({
      statusCode: 400,
      code: "UnsupportedApiVersion",
    });
  });

  it("a correctly signed body that is not JSON → 400 InvalidRequestBody", async () => {
    const user = await client().createUser();
    const badJson = resignWith({
      accessKey: EMULATOR_DEFAULTS.accessKey,
      date: new Date(),
      body: "{scopes:",
    });
    await expect(
      emulator.identityClient({ policies: [badJson] }).getToken(user, ["chat"]),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: "InvalidRequestBody",
    });
  });

  it("a correctly signed non-integer lifetime → 400", async () => {
    const user = await client().createUser();
    const fractional = resignWith({
      accessKey: EMULATOR_DEFAULTS.accessKey,
      date: new Date(),
      body: JSON.stringify({ scopes: ["chat"], expiresInMinutes: 90.5 }),
    });
    await expect(
      emulator.identityClient({ policies: [fractional] }).getToken(user, ["chat"]),
    ).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});
