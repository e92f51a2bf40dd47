// The system's Chromium for the emulator's browser tests (`playwright install` has no download host
// here), launched quiet and headless as apps/web/e2e launches it.
import { chromium, type Browser } from "@playwright/test";

const CHROMIUM = "/usr/bin/chromium";
const QUIET_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Chromium with the quiet defaults plus `extraArgs`. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...QUIET_ARGS, ...extraArgs] });
}
