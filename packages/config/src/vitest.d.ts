import type { ViteUserConfig } from "vitest/config";

export declare const baseVitestConfig: ViteUserConfig;
export declare function createVitestConfig(overrides?: ViteUserConfig): ViteUserConfig;
