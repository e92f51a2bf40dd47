// Property: no input makes any procedure answer with a server error (issue item 8). For every
// procedure of the router, 500 generated requests through the HTTP fetch adapter (arbitrary JSON,
// the procedure's own keys holding adversarial values: NUL, C0 and bidi controls, huge strings,
// wrong types; sometimes a body that is not JSON), as the signed-in caller, a stale session naming
// no user, or nobody. Real emulator over HTTPS, real PGlite.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../src/db";
import { createDatabase } from "../src/db";
import { PRESENCE_STATES } from "../src/contract";
import { readServerEnv } from "../src/env";
import { acsServerRouter } from "../src/root";
import type { AcsServices } from "../src/services";
import { createAcsServices } from "../src/services";
import type { TestAcs } from "./helpers/emulator";
import { sdkGatewayFor, startTestAcs } from "./helpers/emulator";
import { readSse } from "./helpers/presence";
import { headerSessionHandler } from "./helpers/transports";
import { createTestUser } from "./helpers/users";

const RUNS_PER_PROCEDURE = 500;
const INPUT_KEYS = [
  "query",
  "userIds",
  "acsUserIds",
  "state",
  "text",
  "scopes",
  "expiresInMinutes",
];

let acs: TestAcs;
let database: Database;
let services: AcsServices;
let handle: (req: Request) => Promise<Response>;
/** Ids that make some generated inputs valid, so the handlers behind validation run too. */
const known = { callerId: "", friendId: "", friendAcsId: "" };

beforeAll(async () => {
  [acs, database] = await Promise.all([startTestAcs(), createDatabase({ memory: true })]);
  // Limits high enough that generated calls reach the handlers instead of stopping at 429.
  services = await createAcsServices({
    env: readServerEnv({}),
    database,
    // With the SDK's usual retries, as in production: thousands of calls meet the odd reset keep-alive socket.
    gateway: sdkGatewayFor(acs.emulator.connectionString, acs.emulator, { maxRetries: 3 }),
    tokenRateLimitPerMinute: 1_000_000,
    presence: { sweepIntervalMs: 0 },
    callLimitsPerMinute: {
      directorySearch: 1_000_000,
      directoryAddToChat: 1_000_000,
      presenceSet: 1_000_000,
      presenceHeartbeat: 1_000_000,
    },
  });
  handle = headerSessionHandler(services);
  const [caller, friend] = [
    await createTestUser(database, "Fuzzer"),
    await createTestUser(database, "Friend"),
  ];
  await services.tokens.issue(caller, {}, { sessionActive: () => Promise.resolve(true) });
  known.callerId = caller.id;
  known.friendId = friend.id;
  known.friendAcsId = (await services.identities.ensure(friend.id)).acsUserId;
});

afterAll(async () => {
  await services?.close();
  await database?.close();
  await acs?.close();
});

/** NUL (which PostgreSQL refuses in text) most often, then every other C0 control, DEL and the bidi controls. */
const hostileCharacter = fc.oneof(
  { weight: 3, arbitrary: fc.constant("\u0000") },
  {
    weight: 4,
    arbitrary: fc.integer({ min: 1, max: 0x1f }).map((code) => String.fromCharCode(code)),
  },
  { weight: 1, arbitrary: fc.constant("\u007f") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "\u202a",
      "\u202b",
      "\u202c",
      "\u202d",
      "\u202e",
      "\u2066",
      "\u2067",
      "\u2068",
      "\u2069",
    ),
  },
);

const adversarialString = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 20 }), hostileCharacter, fc.string({ maxLength: 20 }))
      .map((parts) => parts.join("")),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "%",
      "_%\\",
      "@",
      "@example.test",
      "'; drop table app_users; --",
      "8:acs:",
      "online",
      "chat",
      "\ud800",
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(100_000, 1_000_000).map((n) => "x".repeat(n)) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<keyof typeof known>("callerId", "friendId", "friendAcsId")
      .map((name) => known[name]),
  },
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: "small" },
  adversarialString,
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(adversarialString, { maxLength: 300 }),
  fc.constantFrom(0, -1, 60, 90.5, 1441, Number.MAX_SAFE_INTEGER, 1e308, true, false, null),
);

/** Inputs of the procedure's own shape with adversarial strings where its strings go. */
const ids = fc.array(adversarialString, { minLength: 1, maxLength: 5 });
const nearValid: Record<string, fc.Arbitrary<unknown>> = {
  "acs.directory.search": fc.record({ query: adversarialString }),
  "acs.directory.addToChat": fc.record({ userIds: ids }),
  "acs.presence.set": fc.record({
    state: fc.constantFrom(...PRESENCE_STATES),
    text: adversarialString,
  }),
  "acs.presence.allow": fc.oneof(fc.record({ userIds: ids }), fc.record({ acsUserIds: ids })),
  "acs.presence.watch": fc.oneof(fc.record({ userIds: ids }), fc.record({ acsUserIds: ids })),
  "acs.token.issue": fc.record(
    {
      scopes: fc.array(adversarialString, { maxLength: 3 }),
      expiresInMinutes: fc.oneof(fc.integer(), fc.double()),
    },
    { requiredKeys: [] },
  ),
};

/** Objects with the procedures' own keys (so validation sees the right names with wrong values). */
const shapedInput = fc.dictionary(
  fc.constantFrom(...INPUT_KEYS, "__proto__", "constructor", "extra"),
  anyValue,
  {
    maxKeys: 4,
  },
);

type Body = { kind: "json"; value: unknown } | { kind: "raw"; text: string };
function requestBody(path: string): fc.Arbitrary<Body> {
  const json = (arbitrary: fc.Arbitrary<unknown>) =>
    arbitrary.map((value) => ({ kind: "json" as const, value }));
  return fc.oneof(
    { weight: 4, arbitrary: json(nearValid[path] ?? shapedInput) },
    { weight: 1, arbitrary: json(shapedInput) },
    { weight: 1, arbitrary: json(anyValue) },
    { weight: 1, arbitrary: json(fc.constant(undefined)) },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: "binary", maxLength: 200 })
        .map((text) => ({ kind: "raw" as const, text })),
    },
  );
}
const caller = fc.constantFrom<"caller" | "stale" | "anonymous">(
  "caller",
  "caller",
  "caller",
  "stale",
  "anonymous",
);

type ProcedureType = "query" | "mutation" | "subscription";
const procedures = Object.entries(
  acsServerRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureType } }>,
).map(([path, procedure]) => [path, procedure._def.type] as const);

function requestFor(
  path: string,
  type: ProcedureType,
  body: Body,
  who: string,
  signal: AbortSignal,
): Request {
  const headers = new Headers();
  if (who === "caller") headers.set("x-test-user", known.callerId);
  if (who === "stale") headers.set("x-test-user", "a-user-that-does-not-exist");
  const text = body.kind === "raw" ? body.text : JSON.stringify(body.value);
  if (type === "mutation") {
    headers.set("content-type", "application/json");
    return new Request(`http://localhost/api/trpc/${path}`, {
      method: "POST",
      headers,
      body: text ?? "",
      signal,
    });
  }
  const query = text === undefined ? "" : `?input=${encodeURIComponent(text)}`;
  return new Request(`http://localhost/api/trpc/${path}${query}`, { headers, signal });
}

/** The HTTP status of the answer, or of the error a subscription sent in its stream; and the answer. */
async function answerOf(
  response: Response,
  abort: AbortController,
): Promise<{ status: number; text: string }> {
  if (!response.headers.get("content-type")?.includes("text/event-stream")) {
    return { status: response.status, text: await response.text() };
  }
  const sse = readSse(response);
  try {
    for (;;) {
      const frame = await sse.next();
      if (frame.event === "connected") continue;
      if (frame.event === "serialized-error") {
        const { data } = JSON.parse(frame.data) as { data: { httpStatus: number } };
        return { status: data.httpStatus, text: frame.data };
      }
      return { status: response.status, text: frame.data }; // the first event: the stream works
    }
  } finally {
    abort.abort();
    await sse.cancel();
  }
}

describe.each(procedures)("%s (%s)", (path, type) => {
  // Generous: on the shared 2-core machine one procedure's 500 runs took 3–45 s.
  it(
    `answers ${RUNS_PER_PROCEDURE} generated inputs without a server error`,
    { timeout: 180_000 },
    async () => {
      const serverErrors: Array<{ status: number; who: string; answer: string }> = [];
      await fc.assert(
        fc.asyncProperty(requestBody(path), caller, async (body, who) => {
          const abort = new AbortController();
          const answer = await answerOf(
            await handle(requestFor(path, type, body, who, abort.signal)),
            abort,
          );
          if (answer.status >= 500)
            serverErrors.push({ status: answer.status, who, answer: answer.text.slice(0, 300) });
          return answer.status < 500;
        }),
        { numRuns: RUNS_PER_PROCEDURE },
      );
      expect(serverErrors.slice(0, 3)).toEqual([]);
    },
  );
});
