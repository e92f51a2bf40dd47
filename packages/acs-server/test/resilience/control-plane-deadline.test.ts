// A control-plane call ends at its deadline whatever ACS does: a server that accepts connections and
// never answers, or one that keeps asking to retry after a minute. Both gateways then fail as
// "unreachable", which the boundary maps to SERVICE_UNAVAILABLE.
import type { Server, Socket } from "node:net";
import { createServer } from "node:net";

import { CommunicationIdentityClient } from "@azure/communication-identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { HmacRestIdentityGateway } from "../../src/control-plane/hmac-rest-gateway";
import { AcsGatewayError } from "../../src/control-plane/identity-gateway";
import type { IdentityGateway } from "../../src/control-plane/identity-gateway";
import {
  ACS_CALL_TIMEOUT_MS,
  SdkIdentityGateway,
} from "../../src/control-plane/sdk-identity-gateway";
import { toTRPCError } from "../../src/errors";

const ACCESS_KEY = Buffer.from("not a real key, never checked").toString("base64");
const DEADLINE_MS = 300;
/** Scheduling slack on a busy machine; still far below what an unbounded wait would take. */
const SLACK_MS = 1_500;

let blackHole: Server;
let endpoint: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  // Accepts TCP connections and never says a word (not even the TLS handshake).
  blackHole = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
  const address = blackHole.address();
  endpoint = `https://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => blackHole?.close(resolve));
});

async function timing(gateway: IdentityGateway) {
  const started = Date.now();
  const error = await gateway.issueToken("8:acs:x_y", ["chat"], 60).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, elapsed: Date.now() - started };
}

describe("control-plane deadline", () => {
  it("is 5 s by default", () => {
    expect(ACS_CALL_TIMEOUT_MS).toBe(5_000);
  });

  it("ends an SDK call (default retry policy) to a silent ACS at the deadline", async () => {
    const client = new CommunicationIdentityClient(`endpoint=${endpoint};accesskey=${ACCESS_KEY}`);
    const gateway = new SdkIdentityGateway(client, {
      model: "connection-string",
      endpoint,
      emulator: false,
      timeoutMs: DEADLINE_MS,
    });
    const { error, elapsed } = await timing(gateway);
    expect(error).toBeInstanceOf(AcsGatewayError);
    expect(error).toMatchObject({
      kind: "unreachable",
      message: `ACS at ${endpoint} did not issue a token within ${DEADLINE_MS} ms`,
    });
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 5);
    expect(elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(toTRPCError(error).code).toBe("SERVICE_UNAVAILABLE");
  });

  it("ends an HMAC REST call to a silent ACS at the deadline", async () => {
    const gateway = new HmacRestIdentityGateway({
      endpoint,
      accessKey: ACCESS_KEY,
      timeoutMs: DEADLINE_MS,
    });
    const { error, elapsed } = await timing(gateway);
    expect(error).toMatchObject({
      kind: "unreachable",
      message: `ACS at ${endpoint} did not issue a token within ${DEADLINE_MS} ms`,
    });
    expect(elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(toTRPCError(error).code).toBe("SERVICE_UNAVAILABLE");
  });

  it("cuts the HMAC REST back-off short when ACS asks to retry after a minute", async () => {
    let tries = 0;
    const gateway = new HmacRestIdentityGateway({
      endpoint,
      accessKey: ACCESS_KEY,
      timeoutMs: DEADLINE_MS,
      fetch: () => {
        tries++;
        return Promise.resolve(
          new Response("busy", { status: 503, headers: { "retry-after": "60" } }),
        );
      },
    });
    const { error, elapsed } = await timing(gateway);
    expect(tries).toBe(1);
    expect(error).toMatchObject({ kind: "unreachable" });
    expect(elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
  });
});
