// The production smoke suite's stack for the whole run: PostgreSQL, the emulator process and two
// `node server.js` instances on that one database (the first is the browser tests' baseURL).
import type { FullConfig } from "@playwright/test";
import { prodEnv, publishStack } from "./env";
import { startStack } from "./stack";

/** Low enough that the shared-limit test reaches it quickly, above what the chat test uses. */
export const SUITE_TOKEN_RATE_LIMIT_PER_MINUTE = 12;

export default async function globalSetup(_config: FullConfig) {
  const stack = await startStack({
    appPorts: [prodEnv.appPort, prodEnv.secondAppPort],
    emulatorPort: prodEnv.emulatorPort,
    tokenRateLimitPerMinute: SUITE_TOKEN_RATE_LIMIT_PER_MINUTE,
  });
  publishStack(JSON.stringify(stack.info));
  return () => stack.stop();
}
