// Traces of acs.token.issue through createCaller, exported by the OTel SDK over OTLP/HTTP (JSON) to a
// receiver on loopback: the span tree (token.issue with its database and ACS children), statuses, and
// no token in what is exported. Real emulator over HTTPS, real PGlite.
import { trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../../src/db";
import { createDatabase } from "../../src/db";
import { readServerEnv } from "../../src/env";
import { acsServerRouter } from "../../src/root";
import type { AcsServices } from "../../src/services";
import { createAcsServices } from "../../src/services";
import type { SessionUser } from "../../src/contract";
import { createCallerFactory, createTRPCContext } from "../../src/trpc";
import type { TestAcs } from "../helpers/emulator";
import { startTestAcs } from "../helpers/emulator";
import type { OtlpReceiver, ReceivedSpan } from "../helpers/otlp-receiver";
import { startOtlpReceiver } from "../helpers/otlp-receiver";
import { createTestUser } from "../helpers/users";

const createCaller = createCallerFactory(acsServerRouter);
let acs: TestAcs;
let database: Database;
let services: AcsServices;
let receiver: OtlpReceiver;
let provider: NodeTracerProvider;

beforeAll(async () => {
  [acs, database, receiver] = await Promise.all([
    startTestAcs(),
    createDatabase({ memory: true }),
    startOtlpReceiver(),
  ]);
  services = await createAcsServices({
    env: readServerEnv({}),
    database,
    gateway: acs.gateway,
    tokenRateLimitPerMinute: 2,
  });
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": "acs-server-test" }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${receiver.url}/v1/traces` })),
    ],
  });
  provider.register();
});

afterAll(async () => {
  await provider?.shutdown();
  trace.disable();
  await services?.close();
  await database?.close();
  await acs?.close();
  await receiver?.close();
});

/** Runs `call` under a parent span (as Next's request span would be) and returns the exported trace. */
async function traced(call: () => Promise<unknown>): Promise<{
  root: ReceivedSpan;
  spans: ReceivedSpan[];
  error: unknown;
}> {
  const tracer = trace.getTracer("test");
  const { traceId, spanId, error } = await tracer.startActiveSpan("test.request", async (span) => {
    let error: unknown;
    await call().catch((e: unknown) => (error = e));
    span.end();
    return { ...span.spanContext(), error };
  });
  await provider.forceFlush();
  const spans = receiver.spans.filter((s) => s.traceId === traceId);
  const root = spans.find((s) => s.spanId === spanId)!;
  return { root, spans, error };
}

const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan) =>
  spans.filter((s) => s.parentSpanId === parent.spanId).map((s) => s.name);

function issueFor(user: SessionUser) {
  return createCaller(createTRPCContext({ user, services })).acs.token.issue();
}

describe("token.issue traces over OTLP", () => {
  let user: SessionUser;
  const tokens: string[] = [];

  beforeAll(async () => {
    user = await createTestUser(database, "Traced");
  });

  it("a first issue: token.issue with the rate limit, identity, ACS and grant spans as children", async () => {
    const { root, spans, error } = await traced(async () =>
      tokens.push((await issueFor(user)).token),
    );
    expect(error).toBeUndefined();
    expect(root).toBeDefined();
    const issue = spans.find((s) => s.name === "token.issue")!;
    expect(issue.parentSpanId).toBe(root.spanId);
    expect(issue.scope).toBe("@acs-stack/acs-server");
    expect(issue.statusCode).toBe(0);
    expect(issue.resource["service.name"]).toBe("acs-server-test");
    expect(childrenOf(spans, issue)).toEqual([
      "db.rate_limit.consume",
      "identity.ensure",
      "acs.issue_token",
      "db.grant.record",
    ]);
    const acsCall = spans.find((s) => s.name === "acs.issue_token")!;
    expect(acsCall.attributes).toMatchObject({
      "acs.auth_model": "emulator",
      "acs.emulator": true,
    });
    expect(spans.find((s) => s.name === "db.grant.record")!.attributes).toMatchObject({
      "db.system.name": "postgresql",
    });
    expect(spans.every((s) => s.statusCode === 0)).toBe(true);
  });

  it("a second issue reuses the mapped identity: no identity.ensure span", async () => {
    const { spans, error } = await traced(async () => tokens.push((await issueFor(user)).token));
    expect(error).toBeUndefined();
    const issue = spans.find((s) => s.name === "token.issue")!;
    expect(childrenOf(spans, issue)).toEqual([
      "db.rate_limit.consume",
      "acs.issue_token",
      "db.grant.record",
    ]);
  });

  it("a refused issue marks token.issue as an error with the error's class only", async () => {
    const { spans, error } = await traced(() => issueFor(user));
    expect(error).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const issue = spans.find((s) => s.name === "token.issue")!;
    expect(issue.statusCode).toBe(2);
    expect(issue.statusMessage).toBe("RateLimitedError");
    expect(childrenOf(spans, issue)).toEqual(["db.rate_limit.consume"]);
  });

  it("exports no token, user id or email", () => {
    expect(tokens).toHaveLength(2);
    const exported = receiver.bodies.join("\n");
    for (const token of tokens) expect(exported).not.toContain(token);
    expect(exported).not.toMatch(/eyJ[\w-]{10,}/);
    expect(exported).not.toContain(user.id);
    expect(exported).not.toContain(user.email!);
  });
});
