// The emulator package is a devDependency of acs-server: only a development server starts an emulator
// in-process, so it is loaded on demand here and nowhere else.
import type * as EmulatorPackage from "@acs-stack/acs-emulator";

export function importEmulatorPackage(): Promise<typeof EmulatorPackage> {
  // The literal `process.env.NODE_ENV`, not env.ts: Next.js replaces it at build time, so its
  // production bundle drops the import below and the standalone output carries no emulator code.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NODE_ENV === "production") {
    return Promise.reject(
      new Error("The ACS emulator is a development tool: a production server never starts one."),
    );
  }
  return import("@acs-stack/acs-emulator");
}
