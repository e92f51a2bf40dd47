import { createVitestConfig } from "@acs-stack/config/vitest";

export default createVitestConfig({ test: { include: ["src/**/*.test.ts"] } });
