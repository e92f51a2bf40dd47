// The real server side, in-process: acs-emulator over HTTPS, acs-server's services on an in-memory
// PGlite, and tRPC callers of the real procedures for app users.
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { randomUUID } from "node:crypto";
import { startEmulator } from "@acs-stack/acs-emulator";
import type { EmulatorOptions, RunningEmulator } from "@acs-stack/acs-emulator";
import {
  SdkIdentityGateway,
  acsRouter,
  createAcsServices,
  createDatabase,
  createTRPCContext,
  createTRPCRouter,
  createUserStore,
  readServerEnv,
} from "@acs-stack/acs-server";
import type { AcsServices, Database, SessionUser } from "@acs-stack/acs-server";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import type { FetchToken } from "../../src";

/** acs-server's procedures where an app mounts them (`acs.*`). */
export const testRouter = createTRPCRouter({ acs: acsRouter });

export type Caller = ReturnType<typeof testRouter.createCaller>;

export interface TestStack {
  emulator: RunningEmulator;
  services: AcsServices;
  database: Database;
  createUser(name: string): Promise<{ user: SessionUser; caller: Caller }>;
  /** Restarts the emulator on the same port and data dir (needs `dataDir`). */
  restartEmulator(): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(options: { dataDir?: string } = {}): Promise<TestStack> {
  const emulatorOptions: EmulatorOptions = options.dataDir
    ? { port: 0, dataDir: options.dataDir, logLevel: "silent" }
    : { port: 0, inMemory: true, logLevel: "silent" };
  let emulator = await startEmulator(emulatorOptions);
  const database = await createDatabase({ memory: true });
  const identityClient = new CommunicationIdentityClient(emulator.connectionString, {
    tlsOptions: { ca: emulator.caCertPem },
    retryOptions: { maxRetries: 0 },
  });
  const gateway = new SdkIdentityGateway(identityClient, {
    model: "emulator",
    endpoint: emulator.endpoint,
    emulator: true,
    emulatorCaCertPem: emulator.caCertPem,
  });
  const services = await createAcsServices({
    env: readServerEnv({}),
    database,
    gateway,
    scopePolicy: () => ["chat"],
    tokenRateLimitPerMinute: 10_000,
  });
  const users = createUserStore(database);
  return {
    get emulator() {
      return emulator;
    },
    services,
    database,
    async createUser(name) {
      const tag = randomUUID().slice(0, 8);
      const row = await users.createUser({
        email: `${name}.${tag}@example.test`,
        displayName: `${name} ${tag}`,
        passwordHash: null,
      });
      const user: SessionUser = { id: row.id, email: row.email, name: row.displayName };
      return { user, caller: testRouter.createCaller(createTRPCContext({ user, services })) };
    },
    async restartEmulator() {
      const port = emulator.port;
      await emulator.close();
      emulator = await startEmulator({ ...emulatorOptions, port });
    },
    async close() {
      await services.close();
      await database.close();
      await emulator.close();
    },
  };
}

/** fetchToken over the real procedures: issue first, refresh afterwards. */
export function fetchTokenFor(
  caller: Caller,
  counter?: { initial: number; refresh: number; forced: number },
): FetchToken {
  return async (reason) => {
    if (counter) counter[reason] += 1;
    return reason === "initial"
      ? caller.acs.token.issue({ expiresInMinutes: 60 })
      : caller.acs.token.refresh();
  };
}

/**
 * fetch over node:https trusting the emulator's CA (Node's global fetch cannot be given a CA),
 * for the emulator event stream in Node tests.
 */
export function httpsFetchTrusting(ca: string): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const headers = new Headers(init?.headers);
      const req = httpsRequest(
        String(input instanceof Request ? input.url : input),
        { method: init?.method ?? "GET", headers: Object.fromEntries(headers.entries()), ca },
        (res) => {
          const body = Readable.toWeb(res) as ReadableStream<Uint8Array>;
          const responseHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (typeof v === "string") responseHeaders.set(k, v);
          resolve(new Response(body, { status: res.statusCode ?? 0, headers: responseHeaders }));
        },
      );
      req.on("error", reject);
      const signal = init?.signal;
      if (signal) {
        if (signal.aborted) req.destroy(new Error("aborted"));
        signal.addEventListener("abort", () => req.destroy(new Error("aborted")), { once: true });
      }
      req.end();
    });
}
