// HMAC-SHA256 request signing as the SDK does it: wrong key, tampering after signing, stale dates,
// key rotation (secondary key), and Bearer tokens without a valid Entra ID token.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULTS } from "../../src/index";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { afterSigning, resignWith } from "../support/request-policies";
import { createSpecValidationPolicy } from "../support/spec-validation";

let emulator: TestEmulator;
const recorder = createSpecValidationPolicy();
const otherKey = Buffer.alloc(64, 7).toString("base64");

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.close();
  recorder.expectNoSpecViolations();
});

const denied = { statusCode: 401, code: "Denied" };

describe("access key", () => {
  it("accepts the primary and the secondary key (rotation)", async () => {
    const primary = emulator.identityClient({
      accessKey: EMULATOR_DEFAULTS.accessKey,
      policies: recorder.clientOption,
    });
    const secondary = emulator.identityClient({
      accessKey: EMULATOR_DEFAULTS.secondaryAccessKey,
      policies: recorder.clientOption,
    });
    const user = await primary.createUser();
    await expect(secondary.getToken(user, ["chat"])).resolves.toHaveProperty("token");
  });

  it("refuses a request signed with another key", async () => {
    const wrong = emulator.identityClient({ accessKey: otherKey, policies: recorder.clientOption });
    await expect(wrong.createUser()).rejects.toMatchObject(denied);
  });

  it("accepts custom keys given at start and refuses the defaults then", async () => {
    const custom = await startTestEmulator({
      accessKey: otherKey,
      secondaryAccessKey: Buffer.alloc(64, 9).toString("base64"),
    });
    try {
      await expect(custom.identityClient().createUser()).resolves.toHaveProperty(
        "communicationUserId",
      );
      await expect(
        custom.identityClient({ accessKey: EMULATOR_DEFAULTS.accessKey }).createUser(),
      ).rejects.toMatchObject(denied);
    } finally {
      await custom.close();
    }
  });
});

describe("tampering after signing", () => {
  it("refuses a changed body (content hash no longer matches)", async () => {
    const user = await emulator.identityClient().createUser();
    const tamper = afterSigning("tamperBody", (request) => {
      request.body = JSON.stringify({ scopes: ["chat", "voip"] });
    });
    await expect(
      emulator
        .identityClient({ policies: [...recorder.clientOption, tamper] })
        .getToken(user, ["chat"]),
    ).rejects.toMatchObject(denied);
  });

  it("refuses a changed body whose content hash header was updated too", async () => {
    const user = await emulator.identityClient().createUser();
    const tamper = afterSigning("tamperBodyAndHash", (request) => {
      const body = JSON.stringify({ scopes: ["voip"] });
      request.body = body;
      request.headers.set(
        "x-ms-content-sha256",
        createHash("sha256").update(body).digest("base64"),
      );
    });
    await expect(
      emulator.identityClient({ policies: [tamper] }).getToken(user, ["chat"]),
    ).rejects.toMatchObject(denied);
  });

  it("refuses a changed path", async () => {
    const [a, b] = [
      await emulator.identityClient().createUser(),
      await emulator.identityClient().createUser(),
    ];
    const tamper = afterSigning("tamperPath", (request) => {
      request.url = request.url.replace(
        encodeURIComponent(a.communicationUserId),
        encodeURIComponent(b.communicationUserId),
      );
    });
    await expect(
      emulator.identityClient({ policies: [tamper] }).getToken(a, ["chat"]),
    ).rejects.toMatchObject(denied);
  });

  it("refuses a changed query", async () => {
    const tamper = afterSigning("tamperQuery", (request) => {
      request.url = `${request.url}&extra=1`;
    });
    await expect(
      emulator.identityClient({ policies: [tamper] }).createUser(),
    ).rejects.toMatchObject(denied);
  });

  it("refuses a request without the Authorization header", async () => {
    const strip = afterSigning("stripAuth", (request) => request.headers.delete("authorization"));
    await expect(emulator.identityClient({ policies: [strip] }).createUser()).rejects.toMatchObject(
      {
        statusCode: 401,
        code: "InvalidAuthenticationToken",
      },
    );
  });

  it("a correctly re-signed request passes (the test policy signs like the SDK)", async () => {
    const resign = resignWith({ accessKey: EMULATOR_DEFAULTS.accessKey, date: new Date() });
    await expect(
      emulator.identityClient({ policies: [resign] }).createUser(),
    ).resolves.toHaveProperty("communicationUserId");
  });
});

describe("x-ms-date", () => {
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

  it("accepts a correctly signed request dated 14 minutes ago or ahead", async () => {
    for (const date of [minutesAgo(14), minutesAgo(-14)]) {
      const resign = resignWith({ accessKey: EMULATOR_DEFAULTS.accessKey, date });
      await expect(
        emulator.identityClient({ policies: [resign] }).createUser(),
      ).resolves.toHaveProperty("communicationUserId");
    }
  });

  it("refuses a correctly signed request dated 16 minutes ago or ahead", async () => {
    for (const date of [minutesAgo(16), minutesAgo(-16)]) {
      const resign = resignWith({ accessKey: EMULATOR_DEFAULTS.accessKey, date });
      await expect(
        emulator.identityClient({ policies: [...recorder.clientOption, resign] }).createUser(),
      ).rejects.toMatchObject(denied);
    }
  });
});

describe("Entra ID bearer tokens", () => {
  it("refuses a bearer token that the local Entra ID did not issue", async () => {
    const bearer = afterSigning("bearer", (request) =>
      request.headers.set("authorization", "Bearer not.a.token"),
    );
    await expect(
      emulator.identityClient({ policies: [bearer] }).createUser(),
    ).rejects.toMatchObject({ statusCode: 401 });
  });
});
