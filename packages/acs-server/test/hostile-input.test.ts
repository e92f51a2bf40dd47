// Hostile strings (issue item 8): NUL and other control characters, and bidi overrides in text other
// people see, are refused with BAD_REQUEST and the zod message (NUL used to reach PostgreSQL and come
// back as a 500). Through the HTTP fetch adapter, against the real emulator and PGlite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../src/db";
import { createDatabase } from "../src/db";
import { readServerEnv } from "../src/env";
import type { AcsServices } from "../src/services";
import { createAcsServices } from "../src/services";
import type { SessionUser } from "../src/contract";
import {
  BIDI_CONTROL_MESSAGE,
  CONTROL_CHARACTER_MESSAGE,
  displayNameSchema,
  plainText,
  topicSchema,
} from "../src/validation";
import type { TestAcs } from "./helpers/emulator";
import { startTestAcs } from "./helpers/emulator";
import type { ProcedurePath, Transport } from "./helpers/transports";
import { failureOf, httpTransport } from "./helpers/transports";
import { createTestUser } from "./helpers/users";

let acs: TestAcs;
let database: Database;
let services: AcsServices;
let api: Transport;
let user: SessionUser;

beforeAll(async () => {
  [acs, database] = await Promise.all([startTestAcs(), createDatabase({ memory: true })]);
  services = await createAcsServices({ env: readServerEnv({}), database, gateway: acs.gateway });
  api = httpTransport(services);
  user = await createTestUser(database, "Hostile");
  await api.call(user, "acs.token.issue");
});

afterAll(async () => {
  await services?.close();
  await database?.close();
  await acs?.close();
});

// Every C0 control but the ones JS's trim() removes at the ends would also be refused in the middle.
const CONTROLS = [
  "\u0000",
  "\u0001",
  "\u0007",
  "\b",
  "\t",
  "\n",
  "\r",
  "\u001b",
  "\u001f",
  "\u007f",
];
const BIDI = [
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
];

const stringInputs: Array<[ProcedurePath, (s: string) => unknown]> = [
  ["acs.directory.search", (s) => ({ query: `ab${s}cd` })],
  ["acs.directory.addToChat", (s) => ({ userIds: [`user${s}`] })],
  ["acs.presence.set", (s) => ({ state: "online", text: `back${s}soon` })],
  ["acs.presence.allow", (s) => ({ userIds: [`user${s}`] })],
  ["acs.presence.allow", (s) => ({ acsUserIds: [`8:acs:${s}`] })],
  ["acs.token.issue", (s) => ({ scopes: [`chat${s}`] })],
];

describe.each(stringInputs)("%s", (path, inputWith) => {
  it.each(CONTROLS.map((c) => [JSON.stringify(c), c]))(
    "refuses %s with BAD_REQUEST",
    async (_name, control) => {
      const failure = await failureOf(api.call(user, path, inputWith(control)));
      expect(failure.code).toBe("BAD_REQUEST");
      expect(failure.httpStatus).toBe(400);
      // Enum inputs (scopes) say what is allowed instead; free text names the control characters.
      if (path !== "acs.token.issue") expect(failure.message).toContain(CONTROL_CHARACTER_MESSAGE);
    },
  );
});

describe("text other people see", () => {
  it.each(BIDI.map((c) => [JSON.stringify(c), c]))(
    "presence.set refuses bidi control %s in the status text",
    async (_name, bidi) => {
      const failure = await failureOf(
        api.call(user, "acs.presence.set", { state: "away", text: `lunch${bidi}` }),
      );
      expect(failure).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
      expect(failure.message).toContain(BIDI_CONTROL_MESSAGE);
      expect(failure.message).toContain("text");
    },
  );

  it("display names and topics refuse bidi and control characters, and keep other Unicode", () => {
    for (const schema of [displayNameSchema, topicSchema]) {
      for (const bad of [...BIDI, ...CONTROLS].map((c) => `Ada${c}Lovelace`)) {
        expect(schema.safeParse(bad).success).toBe(false);
      }
      expect(schema.parse("  Zoë 李 Ωmega 🚀 עברית  ")).toBe("Zoë 李 Ωmega 🚀 עברית");
      expect(schema.safeParse("   ").success).toBe(false);
    }
    expect(displayNameSchema.safeParse("x".repeat(81)).success).toBe(false);
  });

  it("multi-line text keeps newline and tab but not other controls", () => {
    const body = plainText({ max: 100, multiline: true });
    expect(body.parse("line one\n\tline two")).toBe("line one\n\tline two");
    expect(body.safeParse("bell\u0007").success).toBe(false);
    expect(body.safeParse("nul\u0000").success).toBe(false);
  });
});

it("accepts ordinary input after all that (nothing was left half-done)", async () => {
  const set = await api.call<{ text: string | null }>(user, "acs.presence.set", {
    state: "away",
    text: "  at lunch  ",
  });
  expect(set.text).toBe("at lunch");
});
