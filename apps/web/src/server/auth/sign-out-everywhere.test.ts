// "Sign out everywhere" on the server, as the button's server action runs it: the app's own database
// (PGlite in a fresh data dir, opened and migrated by server/db.ts) and acs-server's services on a real
// emulator. Every session of the person ends, and the Entra tokens kept for their Teams identity are
// gone from the database, not merely unreadable; another person's stay.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "@acs-stack/acs-emulator";
import { createEntraTokenStore } from "@acs-stack/acs-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type * as Db from "../db";
import type { EntraTokens } from "../entra/token-store";
import type * as SignOut from "./sign-out-everywhere";

// `server-only` refuses to load outside Next's server bundles; this is a plain Node process.
vi.mock("server-only", () => ({}));

let emulator: RunningEmulator;
let dataDir: string;
let app: typeof SignOut & typeof Db;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, inMemory: true, logLevel: "silent" });
  dataDir = mkdtempSync(join(tmpdir(), "acs-web-sign-out-"));
  vi.stubEnv("DATABASE_URL", "");
  vi.stubEnv("PGLITE_DATA_DIR", join(dataDir, "pglite"));
  vi.stubEnv("ACS_EMULATOR_HOST", "127.0.0.1");
  vi.stubEnv("ACS_EMULATOR_PORT", String(emulator.port));
  vi.stubEnv("AUTH_SECRET", "sign-out-test-only-secret-0123456789abcdef");
  // Read by the app's env.ts when first imported: after the variables above.
  app = { ...(await import("./sign-out-everywhere")), ...(await import("../db")) };
  // A fresh PGlite data dir takes seconds to create: opened here, not inside the test's time.
  await app.getDatabase();
}, 120_000);

afterAll(async () => {
  await (await app?.getDatabase())?.close();
  await emulator?.close();
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

const entraTokens = (accessToken: string): EntraTokens => ({
  objectId: "7c1f3a52-0000-4000-8000-000000000001",
  tenantId: "00000000-0000-0000-0000-00000000e417",
  accessToken,
  refreshToken: `refresh-of-${accessToken}`,
  expiresAt: new Date("2030-01-01T00:00:00.000Z"),
});

describe("signOutEverywhere", () => {
  it("ends every session and deletes the stored Entra tokens of the person only", async () => {
    const [users, sessions, vault] = await Promise.all([
      app.getAccountStore(),
      app.getSessionStore(),
      app.getEntraTokenVault(),
    ]);
    const newPerson = (name: string) =>
      users.createUser({ email: null, displayName: name, passwordHash: null });
    const [grace, bob] = [await newPerson("Grace"), await newPerson("Bob")];
    const laptop = await sessions.create(grace.id);
    const phone = await sessions.create(grace.id);
    const bobSession = await sessions.create(bob.id);
    await vault.save(grace.id, entraTokens("grace-access-token"));
    await vault.save(bob.id, entraTokens("bob-access-token"));

    await app.signOutEverywhere({ id: grace.id, name: "Grace", sessionId: laptop.id });

    expect(await sessions.isActive(laptop.id, grace.id)).toBe(false);
    expect(await sessions.isActive(phone.id, grace.id)).toBe(false);
    const stored = createEntraTokenStore(await app.getDatabase());
    expect(await stored.get(grace.id)).toBeNull();
    expect(await vault.get(grace.id)).toBeNull();
    // Bob keeps his session and his tokens.
    expect(await sessions.isActive(bobSession.id, bob.id)).toBe(true);
    expect(await vault.get(bob.id)).toEqual(entraTokens("bob-access-token"));
  });
});
