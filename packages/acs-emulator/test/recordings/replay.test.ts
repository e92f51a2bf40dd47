// Replays every request/response pair of the recordings of real ACS (../shared/acs-recordings,
// identity-1.3.0 and chat-1.4.0-beta.2) at a live emulator over HTTPS and compares status, error
// body, body shape and the ACS response headers (replay.ts). What the comparison leaves out on
// purpose is in the README's "Differences".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAT_API_VERSION } from "../../src/chat";
import { IDENTITY_API_VERSION } from "../../src/identity/routes";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { loadRecordedSessions } from "./recordings";
import {
  replayExchange,
  ReplayContext,
  teamsEntraOptions,
  teamsTokenSource,
  type ReplayTarget,
} from "./replay";

const TENANT = "7d3c2a10-3b8e-4b59-9a51-0c2f5f1e7a11";
const sessions = loadRecordedSessions();

let emulator: TestEmulator;
let replayed = 0;
let target: ReplayTarget;

beforeAll(async () => {
  const teams = teamsEntraOptions(TENANT);
  emulator = await startTestEmulator({
    entra: {
      principals: [
        {
          tenantId: TENANT,
          clientId: "replay-app",
          clientSecret: "replay",
          grantedAcsAccess: true,
        },
        ...teams.principals,
      ],
      users: teams.users,
    },
  });
  let entraToken: string | undefined;
  target = {
    endpoint: emulator.endpoint,
    caCertPem: emulator.caCertPem,
    accessKey: emulator.connectionString.split(";accesskey=")[1] ?? "",
    apiVersions: { identity: IDENTITY_API_VERSION, chat: CHAT_API_VERSION },
    teamsToken: teamsTokenSource(emulator),
    async entraToken() {
      if (entraToken !== undefined) return entraToken;
      const response = await fetch(`${emulator.httpEndpoint}${TENANT}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: "replay-app",
          client_secret: "replay",
          scope: "https://communication.azure.com//.default",
        }),
      });
      expect(response.status).toBe(200);
      entraToken = ((await response.json()) as { access_token: string }).access_token;
      return entraToken;
    },
  };
});
afterAll(async () => {
  await emulator.close();
});

const suites = [...new Set(sessions.map((s) => s.suite))];

describe.each(suites)("%s", (suite) => {
  // Chat suites share their thread across sessions (in the order they ran); identity sessions
  // each create what they use.
  const shared = suite.startsWith("chat-") ? new ReplayContext() : undefined;
  const inSuite = sessions.filter((s) => s.suite === suite);
  it.each(inSuite.map((s) => [s.file.slice(suite.length + 1), s] as const))(
    "%s answers as recorded",
    async (_name, session) => {
      const ctx = shared ?? new ReplayContext();
      const found: string[] = [];
      for (let index = 0; index < session.exchanges.length; index += 1) {
        const outcome = await replayExchange(target, ctx, session, index);
        found.push(...outcome.differences.map((d) => `${outcome.name}: ${d}`));
        replayed += 1;
      }
      expect(found).toEqual([]);
    },
  );
});

it("replayed every recorded exchange of the 103 sessions, none skipped", () => {
  expect(sessions).toHaveLength(103);
  expect(replayed).toBe(sessions.reduce((n, s) => n + s.exchanges.length, 0));
  expect(replayed).toBeGreaterThan(100);
});
