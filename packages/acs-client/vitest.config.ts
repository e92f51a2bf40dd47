import { createVitestConfig } from "@acs-stack/config/vitest";

export default createVitestConfig();
