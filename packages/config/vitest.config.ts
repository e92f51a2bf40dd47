import { createVitestConfig } from "./src/vitest.js";

export default createVitestConfig();
