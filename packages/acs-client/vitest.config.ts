import { createVitestConfig } from "@acs-stack/config/vitest";

export default createVitestConfig({
  test: {
    // Explicit: an unhandled rejection anywhere (e.g. a token refresh timer) fails the run.
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
