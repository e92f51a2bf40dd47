// The production start-up verdict as instrumentation.ts gets it: one error naming every missing
// variable (acs-server's and AUTH_SECRET), or the dev-defaults warning, probing a real emulator.
import { startEmulator, type RunningEmulator } from "@acs-stack/acs-emulator";
import { freePort } from "@acs-stack/config/free-port";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startupVerdict } from "./startup-check";

const AUTH_SECRET_MISSING = "AUTH_SECRET is not set.";
const KEY = "c2VjcmV0LWFjY2Vzcy1rZXktZm9yLXRlc3RzLW9ubHktMTIzNDU2Nzg5MA==";

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, inMemory: true, logLevel: "silent" });
});

afterAll(async () => {
  await emulator?.close();
});

const verdict = (
  acsVariables: Record<string, string>,
  webProblems: string[] = [],
  building = false,
) => startupVerdict({ acsVariables, webProblems, building });

describe("startupVerdict", () => {
  it("development and the production build start on nothing", async () => {
    expect(await verdict({}, [AUTH_SECRET_MISSING])).toEqual({ ok: true });
    expect(await verdict({ NODE_ENV: "development" })).toEqual({ ok: true });
    expect(await verdict({ NODE_ENV: "production" }, [AUTH_SECRET_MISSING], true)).toEqual({
      ok: true,
    });
  });

  it("production with only AUTH_SECRET: one error naming DATABASE_URL and the ACS variables", async () => {
    const result = await verdict({ NODE_ENV: "production", AUTH_SECRET: "x" });
    expect(result.ok).toBe(false);
    const error = result.ok ? "" : result.error;
    for (const name of [
      "DATABASE_URL",
      "ACS_CONNECTION_STRING",
      "ACS_ENDPOINT",
      "ACS_ACCESS_KEY",
    ]) {
      expect(error).toContain(name);
    }
    expect(error).not.toContain("AUTH_SECRET");
  });

  it("production without AUTH_SECRET names it in the same error", async () => {
    const result = await verdict(
      { NODE_ENV: "production", ACS_CONNECTION_STRING: emulator.connectionString },
      [AUTH_SECRET_MISSING],
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error).toContain(AUTH_SECRET_MISSING);
    expect(result.ok ? "" : result.error).toContain("DATABASE_URL");
  });

  it("production with a real ACS and DATABASE_URL starts, without a warning", async () => {
    expect(
      await verdict({
        NODE_ENV: "production",
        ACS_ENDPOINT: "https://contoso.communication.azure.com/",
        ACS_ACCESS_KEY: KEY,
        DATABASE_URL: "postgres://app@db:5432/app",
      }),
    ).toEqual({ ok: true });
  });

  it("an invalid variable in production is the one error", async () => {
    const result = await verdict({ NODE_ENV: "production", ACS_EMULATOR_PORT: "not-a-port" });
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error).toMatch(
      /Invalid environment variables: ACS_EMULATOR_PORT: /,
    );
  });

  it("ACS_STACK_ALLOW_DEV_DEFAULTS=true starts with the warning, saying whether the emulator answers", async () => {
    const allowed = { NODE_ENV: "production", ACS_STACK_ALLOW_DEV_DEFAULTS: "true" };
    const running = await verdict({ ...allowed, ACS_EMULATOR_PORT: String(emulator.port) });
    expect(running.ok).toBe(true);
    expect(running.ok && running.warning).toMatch(
      /^WARN ACS_STACK_ALLOW_DEV_DEFAULTS=true: .*PGlite/,
    );
    expect(running.ok && running.warning).toContain(
      `the ACS emulator at 127.0.0.1:${emulator.port} (never started by this server, answering)`,
    );
    const closedPort = await freePort();
    const absent = await verdict({ ...allowed, ACS_EMULATOR_PORT: String(closedPort) });
    expect(absent.ok && absent.warning).toContain("NOT answering");
  });
});
