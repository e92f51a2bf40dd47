// ACS and database failures reach the caller as one clear tRPC error each, over both transports.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { EMULATOR_DEFAULTS } from "@acs-stack/acs-emulator";

import type { IdentityGateway } from "../src/control-plane/identity-gateway";
import type { Database } from "../src/db";
import { eq } from "drizzle-orm";

import { createDatabase, schema } from "../src/db";
import { readServerEnv } from "../src/env";
import type { AcsServices } from "../src/services";
import { createAcsServices } from "../src/services";
import { countingGateway } from "./helpers/counting-gateway";
import type { TestAcs } from "./helpers/emulator";
import { sdkGatewayFor, startTestAcs, statusOf } from "./helpers/emulator";
import { callerTransport, failureOf, httpTransport } from "./helpers/transports";
import { createTestUser } from "./helpers/users";

let acs: TestAcs;
let database: Database;
const opened: AcsServices[] = [];

beforeAll(async () => {
  [acs, database] = await Promise.all([startTestAcs(), createDatabase({ memory: true })]);
});

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await database?.close();
  await acs?.close();
});

async function servicesWith(
  gateway: IdentityGateway,
  db: Database = database,
): Promise<AcsServices> {
  const services = await createAcsServices({ env: readServerEnv({}), database: db, gateway });
  opened.push(services);
  return services;
}

/** An access key the emulator does not know (valid base64, wrong bytes). */
const WRONG_KEY = Buffer.from("not-the-emulator-key-not-the-emulator-key").toString("base64");

describe.each([
  ["createCaller", callerTransport],
  ["http fetch adapter", httpTransport],
])("error mapping through %s", (_name, transport) => {
  it("ACS unreachable → SERVICE_UNAVAILABLE saying so", async () => {
    const closedPort = sdkGatewayFor(
      `endpoint=https://127.0.0.1:1/;accesskey=${EMULATOR_DEFAULTS.accessKey}`,
      acs.emulator,
    );
    const api = transport(await servicesWith(closedPort));
    const failure = await failureOf(api.call(await createTestUser(database), "acs.token.issue"));
    expect(failure.code).toBe("SERVICE_UNAVAILABLE");
    expect(failure.message).toMatch(/^ACS is unreachable/);
    if (failure.httpStatus !== undefined) expect(failure.httpStatus).toBe(503);
  });

  it("untrusted TLS certificate → SERVICE_UNAVAILABLE", async () => {
    const { CommunicationIdentityClient } = await import("@azure/communication-identity");
    const { SdkIdentityGateway } = await import("../src/control-plane/sdk-identity-gateway");
    // No CA: Node refuses the emulator's certificate.
    const untrusted = new SdkIdentityGateway(
      new CommunicationIdentityClient(acs.emulator.connectionString, {
        retryOptions: { maxRetries: 0 },
      }),
      { model: "emulator", endpoint: acs.emulator.endpoint, emulator: true },
    );
    const api = transport(await servicesWith(untrusted));
    const failure = await failureOf(api.call(await createTestUser(database), "acs.token.issue"));
    expect(failure.code).toBe("SERVICE_UNAVAILABLE");
    expect(failure.message).toMatch(/certificate/i);
  });

  it("ACS rejects our key → INTERNAL_SERVER_ERROR without leaking the key", async () => {
    const wrongKey = sdkGatewayFor(
      acs.emulator.connectionString.replace(/accesskey=.*$/, `accesskey=${WRONG_KEY}`),
      acs.emulator,
    );
    const api = transport(await servicesWith(wrongKey));
    const failure = await failureOf(api.call(await createTestUser(database), "acs.token.issue"));
    expect(failure.code).toBe("INTERNAL_SERVER_ERROR");
    expect(failure.message).toBe("ACS rejected the server credentials.");
    expect(JSON.stringify(failure)).not.toContain(WRONG_KEY);
  });

  it("identity deleted behind our back → NOT_FOUND", async () => {
    const services = await servicesWith(acs.gateway);
    const api = transport(services);
    const user = await createTestUser(database);
    const { acsUserId } = await api.call<{ acsUserId: string }>(user, "acs.token.issue");
    await acs.identityClient.deleteUser({ communicationUserId: acsUserId });
    const failure = await failureOf(api.call(user, "acs.token.issue"));
    expect(failure.code).toBe("NOT_FOUND");
    expect(failure.message).toContain(acsUserId);
    // identity.delete still completes (ACS's not-found counts as done), and a new identity follows.
    expect(await api.call(user, "acs.identity.delete")).toEqual({ deleted: true });
    expect((await api.call<{ acsUserId: string }>(user, "acs.token.issue")).acsUserId).not.toBe(
      acsUserId,
    );
  });

  it("identity.delete interrupted by ACS going away resumes on retry, never mapping a deleted identity", async () => {
    const good = transport(await servicesWith(acs.gateway));
    const offline = transport(
      await servicesWith(
        sdkGatewayFor(
          `endpoint=https://127.0.0.1:1/;accesskey=${EMULATOR_DEFAULTS.accessKey}`,
          acs.emulator,
        ),
      ),
    );
    const user = await createTestUser(database);
    const { acsUserId } = await good.call<{ acsUserId: string }>(user, "acs.token.issue");

    expect((await failureOf(offline.call(user, "acs.identity.delete"))).code).toBe(
      "SERVICE_UNAVAILABLE",
    );
    const [row] = await database.orm
      .select()
      .from(schema.acsIdentities)
      .where(eq(schema.acsIdentities.userId, user.id));
    expect(row).toMatchObject({ acsUserId, status: "deleting" });
    // No token is issued for an identity being deleted: the retry of the deletion comes first.
    const renewed = await good.call<{ acsUserId: string }>(user, "acs.token.issue");
    expect(renewed.acsUserId).not.toBe(acsUserId);
    expect(
      await statusOf(acs.identityClient.getToken({ communicationUserId: acsUserId }, ["chat"])),
    ).toBe(404);
  });

  it("a session for a user missing from app_users → UNAUTHORIZED, and no identity is left in ACS", async () => {
    const gateway = countingGateway(acs.gateway);
    const services = await servicesWith(gateway);
    const failure = await failureOf(
      transport(services).call({ id: "no-such-user" }, "acs.token.issue"),
    );
    expect(failure.code).toBe("UNAUTHORIZED");
    expect(gateway.created).toHaveLength(1);
    expect(gateway.deleted).toEqual(gateway.created);
  });

  it("database failure → INTERNAL_SERVER_ERROR with a safe message", async () => {
    const broken = await createDatabase({ memory: true });
    const services = await servicesWith(acs.gateway, broken);
    const user = await createTestUser(broken);
    await broken.orm.execute("drop table token_rate_limits");
    const failure = await failureOf(transport(services).call(user, "acs.token.issue"));
    await broken.close();
    expect(failure.code).toBe("INTERNAL_SERVER_ERROR");
    expect(failure.message).toBe("The database failed to answer the request.");
    expect(failure.message).not.toMatch(/token_rate_limits|insert/i);
    // Opens and migrates a database of its own: over 30 s on a loaded machine.
  }, 90_000);
});
