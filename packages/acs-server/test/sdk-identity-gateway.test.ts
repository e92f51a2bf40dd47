// SdkIdentityGateway classifies every SDK failure into one AcsGatewayError kind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AcsGatewayError } from "../src/control-plane/identity-gateway";
import { classifyIdentityError } from "../src/control-plane/sdk-identity-gateway";
import type { TestAcs } from "./helpers/emulator";
import { sdkGatewayFor, startTestAcs } from "./helpers/emulator";

let acs: TestAcs;
beforeAll(async () => {
  acs = await startTestAcs();
});
afterAll(async () => {
  await acs?.close();
});

async function kindOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AcsGatewayError);
  return (error as AcsGatewayError).kind;
}

describe("SdkIdentityGateway against the emulator", () => {
  it("creates, issues, revokes and deletes through the official SDK", async () => {
    const { acsUserId } = await acs.gateway.createUser();
    const issued = await acs.gateway.issueToken(acsUserId, ["chat", "voip"], 60);
    expect(issued.expiresOn.getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    await acs.gateway.revokeTokens(acsUserId);
    await acs.gateway.deleteUser(acsUserId);
    expect(await kindOf(acs.gateway.issueToken(acsUserId, ["chat"], 60))).toBe("not-found");
  });

  it("an identity of another ACS resource (401 IdentityNotOwned) is not-found, not a credentials problem", async () => {
    const foreign =
      "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000";
    for (const call of [
      () => acs.gateway.issueToken(foreign, ["chat"], 60),
      () => acs.gateway.revokeTokens(foreign),
      () => acs.gateway.deleteUser(foreign),
    ]) {
      const error = await call().catch((e: unknown) => e as AcsGatewayError);
      expect(error).toMatchObject({ kind: "not-found", statusCode: 401 });
      expect((error as AcsGatewayError).message).toContain("IdentityNotOwned");
    }
  });

  it("classifies 400, 401 and unreachable answers", async () => {
    const { acsUserId } = await acs.gateway.createUser();
    expect(await kindOf(acs.gateway.issueToken(acsUserId, ["chat"], 59))).toBe("bad-request");
    const wrongKey = sdkGatewayFor(
      acs.emulator.connectionString.replace(
        /accesskey=.*$/,
        `accesskey=${Buffer.from("wrong").toString("base64")}`,
      ),
      acs.emulator,
    );
    const rejected = await wrongKey.createUser().catch((e: unknown) => e as AcsGatewayError);
    expect(rejected).toMatchObject({ kind: "credentials-rejected", statusCode: 401 });
    const closed = sdkGatewayFor("endpoint=https://127.0.0.1:1/;accesskey=a2V5", acs.emulator);
    expect(await kindOf(closed.createUser())).toBe("unreachable");
  });

  it("close() runs onClose once", async () => {
    let closes = 0;
    const { SdkIdentityGateway } = await import("../src/control-plane/sdk-identity-gateway");
    const gateway = new SdkIdentityGateway(acs.identityClient, {
      model: "emulator",
      endpoint: acs.emulator.endpoint,
      emulator: true,
      onClose: () => {
        closes++;
        return Promise.resolve();
      },
    });
    await Promise.all([gateway.close(), gateway.close()]);
    expect(closes).toBe(1);
  });
});

describe("classifyIdentityError for answers the emulator never gives", () => {
  // Shaped like core-rest-pipeline's RestError (statusCode, code): Azure's throttling and outages.
  const restError = (statusCode: number | undefined, code?: string) =>
    Object.assign(new Error(`status ${statusCode}`), { name: "RestError", statusCode, code });

  it.each([
    [403, "credentials-rejected"],
    [404, "not-found"],
    [429, "throttled"],
    [500, "unreachable"],
    [503, "unreachable"],
    [409, "unexpected"],
    [undefined, "unreachable"],
  ])("HTTP %s → %s", (status, kind) => {
    expect(
      classifyIdentityError(restError(status), "issue a token", "https://acs.example/").kind,
    ).toBe(kind);
  });

  it("reads the socket error code under REQUEST_SEND_ERROR and keeps the cause", () => {
    const socket = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const wrapped = Object.assign(new Error("send failed", { cause: socket }), {
      code: "REQUEST_SEND_ERROR",
    });
    const classified = classifyIdentityError(wrapped, "create an identity", "https://acs.example/");
    expect(classified.kind).toBe("unreachable");
    expect(classified.message).toContain("https://acs.example/");
    expect(classified.cause).toBe(wrapped);
  });

  it("never puts the detail of a credentials rejection in the message", () => {
    const classified = classifyIdentityError(
      Object.assign(new Error("signature for key abc123 did not match"), { statusCode: 401 }),
      "create an identity",
      "https://acs.example/",
    );
    expect(classified.message).not.toContain("abc123");
  });
});
