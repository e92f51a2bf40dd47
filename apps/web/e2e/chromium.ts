// How every browser test launches Chromium here: the system's binary (`playwright install` has no
// download host), with its background networking off so it does not flood the closed network.
import { e2eEnv } from "./env";

export const chromiumLaunchOptions = {
  executablePath: e2eEnv.chromiumPath,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
