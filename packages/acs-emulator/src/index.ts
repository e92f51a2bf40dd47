export const EMULATOR_PLACEHOLDER = true;
