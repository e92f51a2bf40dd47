// The app's router through createCaller, as server actions call it: the profile procedures beside
// acs-server's, on a real in-memory PGlite and the real emulator over HTTPS (acs.* needs a gateway).
import { startEmulator, type RunningEmulator } from "@acs-stack/acs-emulator";
import {
  BIDI_CONTROL_MESSAGE,
  DISPLAY_NAME_MAX,
  SdkIdentityGateway,
  createAcsServices,
  createCallerFactory,
  createDatabase,
  createTRPCContext,
  createUserStore,
  readServerEnv,
  type AcsServices,
  type Database,
  type SessionUser,
} from "@acs-stack/acs-server";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../root";

const createCaller = createCallerFactory(appRouter);

let emulator: RunningEmulator;
let database: Database;
let services: AcsServices;

beforeAll(async () => {
  [emulator, database] = await Promise.all([
    startEmulator({ port: 0, inMemory: true, logLevel: "silent" }),
    createDatabase({ memory: true }),
  ]);
  const identityClient = new CommunicationIdentityClient(emulator.connectionString, {
    tlsOptions: { ca: emulator.caCertPem },
    retryOptions: { maxRetries: 0 },
  });
  services = await createAcsServices({
    env: readServerEnv({}),
    database,
    gateway: new SdkIdentityGateway(identityClient, {
      model: "emulator",
      endpoint: emulator.endpoint,
      emulator: true,
      emulatorCaCertPem: emulator.caCertPem,
    }),
    presence: { sweepIntervalMs: 0 },
  });
});

afterAll(async () => {
  await services?.close();
  await database?.close();
  await emulator?.close();
});

let users = 0;
async function signUp(displayName: string): Promise<SessionUser> {
  users += 1;
  const row = await createUserStore(database).createUser({
    email: `profile.${users}.${Date.now()}@example.test`,
    displayName,
    passwordHash: null,
  });
  return { id: row.id, email: row.email, name: row.displayName };
}

const api = (user: SessionUser | null) => createCaller(createTRPCContext({ user, services }));

async function failureOf(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (error instanceof TRPCError) return error;
  throw new Error(`expected a TRPCError, got ${String(error)}`);
}

describe("the app router", () => {
  it("mounts acs-server's procedures at acs.* beside the app's profile.*", () => {
    const paths = Object.keys(appRouter._def.procedures);
    expect(paths).toEqual(
      expect.arrayContaining(["acs.token.issue", "acs.directory.search", "acs.identity.me"]),
    );
    expect(paths.filter((path) => !path.startsWith("acs.")).sort()).toEqual([
      "profile.get",
      "profile.updateDisplayName",
    ]);
  });
});

describe("profile", () => {
  it("refuses a caller who is not signed in with UNAUTHORIZED", async () => {
    expect((await failureOf(api(null).profile.get())).code).toBe("UNAUTHORIZED");
    const update = api(null).profile.updateDisplayName({ displayName: "Mallory" });
    expect((await failureOf(update)).code).toBe("UNAUTHORIZED");
  });

  it("reads the signed-in person's display name and email", async () => {
    const ada = await signUp("Ada");
    expect(await api(ada).profile.get()).toEqual({ displayName: "Ada", email: ada.email });
  });

  it("changes the display name (trimmed): get and the directory search see the new one", async () => {
    const ada = await signUp("Ada Byron");
    const grace = await signUp("Grace");
    const updated = await api(ada).profile.updateDisplayName({ displayName: "  Ada Lovelace " });
    expect(updated).toEqual({ displayName: "Ada Lovelace", email: ada.email });
    expect(await api(ada).profile.get()).toEqual(updated);
    // Someone else finds the person under the new name, through acs.* on the same router.
    const found = await api(grace).acs.directory.search({ query: "Ada Lovel" });
    expect(found.map((entry) => [entry.userId, entry.displayName])).toEqual([
      [ada.id, "Ada Lovelace"],
    ]);
    expect(await api(grace).profile.get()).toEqual({ displayName: "Grace", email: grace.email });
  });

  it("refuses a bad name with BAD_REQUEST and the zod message, and keeps the old name", async () => {
    const ada = await signUp("Ada");
    const refused = async (displayName: unknown) =>
      failureOf(api(ada).profile.updateDisplayName({ displayName } as { displayName: string }));

    const bidi = await refused("Ada\u202eecilA");
    expect(bidi.code).toBe("BAD_REQUEST");
    expect(bidi.message).toContain(BIDI_CONTROL_MESSAGE);
    expect(bidi.message).toContain("displayName");

    const blank = await refused("   ");
    expect(blank.code).toBe("BAD_REQUEST");
    expect(blank.message).toMatch(/Too small: expected string to have >=1 characters?/);

    const long = await refused("x".repeat(DISPLAY_NAME_MAX + 1));
    expect(long.code).toBe("BAD_REQUEST");
    expect(long.message).toContain(`<=${DISPLAY_NAME_MAX} characters`);

    expect((await refused(42)).code).toBe("BAD_REQUEST");
    expect((await api(ada).profile.get()).displayName).toBe("Ada");
  });

  it("refuses unknown input fields", async () => {
    const ada = await signUp("Ada");
    const extra = { displayName: "Ada", admin: true } as { displayName: string };
    const error = await failureOf(api(ada).profile.updateDisplayName(extra));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("admin");
  });

  it("answers UNAUTHORIZED for a session whose account no longer exists", async () => {
    const ghost: SessionUser = { id: "no-such-user", email: null, name: null };
    expect((await failureOf(api(ghost).profile.get())).code).toBe("UNAUTHORIZED");
    const update = api(ghost).profile.updateDisplayName({ displayName: "Ghost" });
    expect((await failureOf(update)).code).toBe("UNAUTHORIZED");
  });
});
