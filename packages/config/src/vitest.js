// Vitest base config: timeouts that fit PGlite start-up (4-6 s for a fresh data dir) and the
// emulator's TLS set-up, and a JSON report that scripts/test-all.sh sums into one closing line.
// Plain JS: vitest loads config files of other packages through Node, which cannot load .ts.
import { defineConfig, mergeConfig } from "vitest/config";

export const baseVitestConfig = defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    reporters: ["default", ["json", { outputFile: ".reports/vitest.json" }]],
    // Our tests start real servers and databases: keep the 2-core machine from thrashing.
    pool: "forks",
    maxWorkers: 2,
  },
});

/**
 * @param {import("vitest/config").ViteUserConfig} [overrides]
 * @returns {import("vitest/config").ViteUserConfig}
 */
export function createVitestConfig(overrides = {}) {
  return mergeConfig(baseVitestConfig, overrides);
}
