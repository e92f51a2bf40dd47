// Placeholder until the emulator lands: `acs-emulator start` is the final command name.
console.error("acs-emulator: not implemented yet");
process.exitCode = 1;
