// What the bench reads from the environment.
export const benchEnv = {
  path: process.env.PATH ?? "",
  chromiumPath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium",
};
