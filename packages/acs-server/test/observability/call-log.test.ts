// The tRPC call-log middleware: one line per call with request id, procedure, outcome, latency and a
// keyed user tag; failures log their code and cause class, never a message, token, email or user id.
// Real emulator over HTTPS and a real PGlite database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../../src/db";
import { createDatabase } from "../../src/db";
import { readServerEnv } from "../../src/env";
import type { CallLogger, LogFields, RequestLog } from "../../src/observability/call-log";
import { userTagger } from "../../src/observability/call-log";
import { acsServerRouter } from "../../src/root";
import type { AcsServices } from "../../src/services";
import { createAcsServices } from "../../src/services";
import type { SessionUser } from "../../src/contract";
import { createCallerFactory, createTRPCContext } from "../../src/trpc";
import type { TestAcs } from "../helpers/emulator";
import { startTestAcs } from "../helpers/emulator";
import { createTestUser } from "../helpers/users";

interface Line {
  level: keyof CallLogger;
  fields: LogFields;
  message: string;
}

function recordingLog(requestId: string): RequestLog & { lines: Line[] } {
  const lines: Line[] = [];
  const record =
    (level: keyof CallLogger) =>
    (fields: LogFields, message: string): void => {
      lines.push({ level, fields, message });
    };
  return {
    lines,
    requestId,
    tagUser: userTagger("test-log-key"),
    logger: { info: record("info"), warn: record("warn"), error: record("error") },
  };
}

const createCaller = createCallerFactory(acsServerRouter);
let acs: TestAcs;
let database: Database;
let services: AcsServices;

beforeAll(async () => {
  [acs, database] = await Promise.all([startTestAcs(), createDatabase({ memory: true })]);
  services = await createAcsServices({ env: readServerEnv({}), database, gateway: acs.gateway });
});

afterAll(async () => {
  await services?.close();
  await database?.close();
  await acs?.close();
});

function callerFor(user: SessionUser | null, log: RequestLog, on = services) {
  return createCaller(createTRPCContext({ user, services: on, log }));
}

describe("call log", () => {
  it("logs one line per call with the request id, procedure, outcome, latency and user tag", async () => {
    const user = await createTestUser(database, "Logged");
    const log = recordingLog("req-ok-1");
    const issued = await callerFor(user, log).acs.token.issue();

    expect(log.lines).toHaveLength(1);
    const [line] = log.lines;
    expect(line!.level).toBe("info");
    expect(line!.message).toBe("trpc call");
    expect(line!.fields).toMatchObject({
      requestId: "req-ok-1",
      procedure: "acs.token.issue",
      type: "mutation",
      outcome: "ok",
      userTag: userTagger("test-log-key")(user.id),
    });
    expect(line!.fields.durationMs).toEqual(expect.any(Number));
    expect(line!.fields.durationMs).toBeGreaterThan(0);
    const text = JSON.stringify(line);
    expect(text).not.toContain(issued.token);
    expect(text).not.toContain(user.id);
    expect(text).not.toContain(user.email!);
    expect(text).not.toContain(issued.acsUserId);
  });

  it("tags a user the same way on every call and different users differently", () => {
    const tag = userTagger("k1");
    expect(tag("user-a")).toBe(tag("user-a"));
    expect(tag("user-a")).not.toBe(tag("user-b"));
    expect(tag("user-a")).not.toBe(userTagger("k2")("user-a"));
    expect(tag("user-a")).toMatch(/^[0-9a-f]{16}$/);
  });

  it("logs a refusal by its code, as a warning, with no user tag when signed out", async () => {
    const log = recordingLog("req-anon");
    await expect(callerFor(null, log).acs.identity.me()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]!.level).toBe("warn");
    expect(log.lines[0]!.fields).toMatchObject({
      requestId: "req-anon",
      procedure: "acs.identity.me",
      type: "query",
      outcome: "UNAUTHORIZED",
      userTag: null,
    });
  });

  it("logs invalid input by its code and cause class, never the input or the message", async () => {
    const user = await createTestUser(database, "Hostile");
    const log = recordingLog("req-bad");
    const marker = "secret-input-7f3a";
    // zod's message for an unknown key quotes the key: the message can carry what the caller sent.
    const failure = callerFor(user, log).acs.directory.search({
      query: "someone",
      [marker]: 1,
    } as { query: string });
    await expect(failure).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(failure).rejects.toThrow(marker);

    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]!.fields).toMatchObject({ outcome: "BAD_REQUEST", errorType: "ZodError" });
    expect(JSON.stringify(log.lines)).not.toContain(marker);
  });

  it("logs an unreachable ACS as an error with the failure kind, not the SDK's message", async () => {
    // A second emulator, stopped before the call: the SDK gets a real connection refusal.
    const down = await startTestAcs();
    const downServices = await createAcsServices({
      env: readServerEnv({}),
      database,
      gateway: down.gateway,
    });
    await down.close();
    try {
      const user = await createTestUser(database, "Unlucky");
      const log = recordingLog("req-down");
      await expect(callerFor(user, log, downServices).acs.token.issue()).rejects.toMatchObject({
        code: "SERVICE_UNAVAILABLE",
      });
      expect(log.lines).toHaveLength(1);
      expect(log.lines[0]!.level).toBe("error");
      expect(log.lines[0]!.fields).toMatchObject({
        outcome: "SERVICE_UNAVAILABLE",
        errorType: "AcsGatewayError",
        acsFailure: "unreachable",
      });
      expect(JSON.stringify(log.lines)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|https?:/);
    } finally {
      await downServices.close();
    }
  });
});
