// One port, two protocols: HTTPS for the SDKs, plain HTTP for browsers and allowInsecureConnection;
// CORS on every response; ACS error bodies for unknown routes and oversized bodies.
import { request as httpsRequest } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
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

describe("plain HTTP on the same port", () => {
  it("serves the identity API to a client with allowInsecureConnection", async () => {
    const client = emulator.identityClient({ http: true, policies: recorder.clientOption });
    const { user, token } = await client.createUserAndToken(["chat"]);
    expect(user.communicationUserId).toMatch(/^8:acs:/);
    expect(token.split(".")).toHaveLength(3);
    await client.revokeTokens(user);
    await client.deleteUser(user);
  });

  it("GET /emulator/info tells how to reach and trust the emulator", async () => {
    const response = await fetch(`${emulator.httpEndpoint}emulator/info`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      endpoint: emulator.endpoint,
      connectionString: emulator.connectionString,
      caCertPem: emulator.caCertPem,
      resourceId: emulator.resourceId,
      version: expect.any(String) as unknown,
    });
  });
});

describe("HTTPS", () => {
  it("presents a certificate for 127.0.0.1 signed by the emulator's CA", async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        `${emulator.endpoint}emulator/info`,
        { ca: emulator.caCertPem },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () => resolve(text));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(JSON.parse(body)).toMatchObject({ endpoint: emulator.endpoint });
  });

  it("is refused by a client that does not trust the CA", async () => {
    await expect(
      new Promise((resolve, reject) => {
        const req = httpsRequest(`${emulator.endpoint}emulator/info`, resolve);
        req.on("error", reject);
        req.end();
      }),
    ).rejects.toMatchObject({ code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
  });
});

describe("CORS", () => {
  it("answers a preflight for a signed JSON POST with 204 and the allowed headers", async () => {
    const response = await fetch(`${emulator.httpEndpoint}identities?api-version=2023-10-01`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers":
          "authorization,content-type,x-ms-date,x-ms-content-sha256",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(response.headers.get("access-control-allow-methods")).toContain("PATCH");
    const allowed = response.headers.get("access-control-allow-headers") ?? "";
    for (const header of [
      "authorization",
      "content-type",
      "x-ms-date",
      "x-ms-content-sha256",
      "repeatability-request-id",
      "last-event-id",
      "x-skypetoken",
      "x-ms-useragent",
    ]) {
      expect(allowed).toContain(header);
    }
  });

  it("adds CORS headers to ordinary and error responses", async () => {
    const response = await fetch(`${emulator.httpEndpoint}identities?api-version=2023-10-01`, {
      method: "POST",
      headers: { origin: "http://localhost:3000" },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    // As recorded (../shared/acs-recordings/chat-1.4.0-beta.2/chatthreadclient/
    // recording_successfully_updates_the_thread_metadata.json, entry 0).
    expect(response.headers.get("access-control-expose-headers")).toBe("*");
    expect(response.headers.get("x-ms-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("errors", () => {
  it("an unknown route → 404 with an ACS error body", async () => {
    const response = await fetch(`${emulator.httpEndpoint}nothing/here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "NotFound", message: expect.any(String) as unknown },
    });
  });

  it("a wrong method on an identity path → 405 with an ACS error body", async () => {
    const response = await fetch(`${emulator.httpEndpoint}identities?api-version=2023-10-01`);
    expect(response.status).toBe(405);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      "MethodNotAllowed",
    );
  });

  it("a body over 1 MiB → 413 with an ACS error body, and the emulator keeps serving", async () => {
    const response = await fetch(`${emulator.httpEndpoint}identities?api-version=2023-10-01`, {
      method: "POST",
      body: "x".repeat(1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      "RequestEntityTooLarge",
    );
    await expect(emulator.identityClient().createUser()).resolves.toHaveProperty(
      "communicationUserId",
    );
  });
});
