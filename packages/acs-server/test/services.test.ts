// createAcsServices builds what is missing from env: here the control plane's default model,
// an emulator it starts itself, which services.close() stops again.
import { afterAll, beforeAll, expect, it } from "vitest";

import type { Database } from "../src/db";
import { createDatabase } from "../src/db";
import { readServerEnv } from "../src/env";
import { createAcsServices } from "../src/services";
import { callerTransport } from "./helpers/transports";
import { createTestUser } from "./helpers/users";

let database: Database;
beforeAll(async () => {
  database = await createDatabase({ memory: true });
});
afterAll(async () => {
  await database?.close();
});

it("issues a token through the emulator the control plane starts when nothing is configured", async () => {
  const lines: string[] = [];
  const services = await createAcsServices({
    env: readServerEnv({
      ACS_EMULATOR_PORT: "0",
      ACS_EMULATOR_IN_MEMORY: "1",
      ACS_DEFAULT_SCOPES: "chat,presence",
    }),
    database,
    controlPlane: {
      log: (line) => lines.push(line),
      emulatorOptions: { port: 0, inMemory: true, logLevel: "silent" },
    },
  });
  try {
    expect(services.gateway.model).toBe("emulator");
    expect(lines.join("\n")).toMatch(/emulator/);
    const issued = await callerTransport(services).call<{
      scopes: string[];
      emulator: boolean;
      endpoint: string;
    }>(await createTestUser(database), "acs.token.issue");
    expect(issued).toMatchObject({
      scopes: ["chat", "presence"],
      emulator: true,
      endpoint: services.gateway.endpoint,
    });
  } finally {
    await services.close();
  }
  // The emulator this services object started is gone.
  const probe = await fetch(
    `${services.gateway.endpoint.replace("https:", "http:")}emulator/info`,
  ).then(
    (r) => r.status,
    () => "closed",
  );
  expect(probe).toBe("closed");
});

it("refuses an unknown scope name in ACS_DEFAULT_SCOPES at start-up", async () => {
  await expect(
    createAcsServices({
      env: readServerEnv({ ACS_DEFAULT_SCOPES: "chat,teleport" }),
      database,
      gateway: undefined,
    }),
  ).rejects.toThrow(/teleport/);
});
