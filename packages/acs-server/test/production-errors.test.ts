// Under NODE_ENV=production, error answers carry no stack trace and no file path (issue item 8);
// in development the stack is there (which is what makes this test able to fail). The tRPC set-up
// reads NODE_ENV when trpc.ts loads, so each mode loads the server modules afresh.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { Database } from "../src/db";
import { createDatabase } from "../src/db";
import { readServerEnv } from "../src/env";
import type { TestAcs } from "./helpers/emulator";
import { startTestAcs } from "./helpers/emulator";
import { createTestUser } from "./helpers/users";

let acs: TestAcs;
let database: Database;

beforeAll(async () => {
  [acs, database] = await Promise.all([startTestAcs(), createDatabase({ memory: true })]);
});

afterAll(async () => {
  await database?.close();
  await acs?.close();
});

/** The fetch handler and services as loaded under `nodeEnv`, on a database that `breakDatabase` closes. */
async function serverUnder(nodeEnv: "production" | "development") {
  vi.stubEnv("NODE_ENV", nodeEnv);
  vi.resetModules();
  try {
    const [{ createAcsServices }, { headerSessionHandler }] = await Promise.all([
      import("../src/services"),
      import("./helpers/transports"),
    ]);
    const doomed = await createDatabase({ memory: true });
    const services = await createAcsServices({
      env: readServerEnv({}),
      database: doomed,
      gateway: acs.gateway,
    });
    return {
      handle: headerSessionHandler(services),
      services,
      breakDatabase: () => doomed.close(),
    };
  } finally {
    vi.unstubAllEnvs();
  }
}

async function post(
  handle: (req: Request) => Promise<Response>,
  userId: string,
  path: string,
  body: unknown,
) {
  const response = await handle(
    new Request(`http://localhost/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-test-user": userId },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, text: await response.text() };
}

// A stack frame or a source/module path as Node prints them.
const FILE_PATH = /(\/[\w.@+-]+)+\.(ts|tsx|js|mjs|cjs)\b|node_modules|\bat \S+ \(/;

// Each case loads the server modules and opens a database afresh (slow on a busy machine).
describe("error answers", { timeout: 120_000 }, () => {
  it("in production: no stack and no file path, for a bad input, a domain error and an internal failure", async () => {
    const { handle, services, breakDatabase } = await serverUnder("production");
    const user = await createTestUser(services.database);
    const answers = [
      await post(handle, user.id, "acs.presence.set", { state: "online", text: "\u0000" }),
      await post(handle, user.id, "acs.token.refresh", null),
    ];
    await breakDatabase();
    answers.push(await post(handle, user.id, "acs.identity.delete", null));
    expect(answers.map((a) => a.status)).toEqual([400, 401, 500]);
    for (const answer of answers) {
      expect(answer.text).not.toContain('"stack"');
      expect(answer.text).not.toMatch(FILE_PATH);
    }
    expect(JSON.parse(answers[2]!.text)).toMatchObject({
      error: {
        message: "Internal server error.",
        data: { code: "INTERNAL_SERVER_ERROR" },
      },
    });
    await services.close();
  });

  it("in development: the stack is there (for the developer)", async () => {
    const { handle, services, breakDatabase } = await serverUnder("development");
    const user = await createTestUser(services.database);
    await breakDatabase();
    const answer = await post(handle, user.id, "acs.identity.delete", null);
    expect(answer.status).toBe(500);
    expect(answer.text).toContain('"stack"');
    expect(answer.text).toMatch(FILE_PATH);
    await services.close();
  });
});
