// A phone on a slow connection: CPU 4× slower, 400 ms added to every request, and the lazily loaded
// chat SDK arriving 4 s after it was asked for. "New chat" and "Start chat" work on the first
// click: while the chat session is still connecting the dialog says "Connecting…" and waits.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { newPerson, signUp } from "./helpers";

const STATIC_DIR = join(import.meta.dirname, "..", ".next", "static");
/** How long the chat SDK's code is held back: the scenario, not a wait for the test's sake. */
const CHAT_CODE_DELAY_MS = 4_000;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * URL paths of the client chunks that carry the official chat SDK, recognised by its user-agent
 * prefix (as bench/run.ts does): acs-client loads them with import() once the page is up.
 */
function chatSdkChunkPaths(): Set<string> {
  return new Set(
    filesUnder(join(STATIC_DIR, "chunks"))
      .filter((file) => file.endsWith(".js"))
      .filter((file) => readFileSync(file, "utf8").includes("azsdk-js-communication-chat"))
      .map((file) => `/_next/static/${relative(STATIC_DIR, file).split(sep).join("/")}`),
  );
}

/** Records the text of every role=alert the page shows, however briefly (the app's light DOM). */
async function recordAlerts(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { alertsSeen: string[] }).alertsSeen = seen;
    const scan = () => {
      for (const element of document.querySelectorAll('[role="alert"]')) {
        const text = element.textContent?.trim();
        if (text && !seen.includes(text)) seen.push(text);
      }
    };
    new MutationObserver(scan).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["role"],
    });
  });
  return () => page.evaluate(() => (window as unknown as { alertsSeen: string[] }).alertsSeen);
}

test("a slow start: the first click on Start chat waits while connecting, then opens the thread", async ({
  browser,
}, testInfo) => {
  const sdkChunks = chatSdkChunkPaths();
  expect(sdkChunks.size, "the build has a chunk with the chat SDK").toBeGreaterThan(0);

  const bob = newPerson("Bob");
  const bobContext = await browser.newContext();
  await signUp(await bobContext.newPage(), bob);
  await bobContext.close();

  const ada = newPerson("Ada");
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, ada);

  // The slow phone, from here on.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 400,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });

  // The chat code is released 4 s after it was asked for, and not before the dialog has said
  // "Connecting…" (so the click below surely comes before the session exists). Routing also
  // turns the HTTP cache off: the chunk is fetched again, not reused from the sign-up.
  let requestedAt: number | undefined;
  let sawConnecting!: () => void;
  const connectingSeen = new Promise<void>((resolve) => (sawConnecting = resolve));
  let released = false;
  await page.route(
    (url) => sdkChunks.has(url.pathname),
    async (route) => {
      requestedAt ??= Date.now();
      const heldFor = Date.now() - requestedAt;
      await Promise.all([
        connectingSeen,
        new Promise((resolve) => setTimeout(resolve, Math.max(0, CHAT_CODE_DELAY_MS - heldFor))),
      ]);
      released = true;
      await route.continue();
    },
  );
  const alertsSeen = await recordAlerts(page);

  await page.goto("/chat");
  await page.getByRole("button", { name: "New chat" }).click();
  const dialog = page.getByRole("dialog", { name: "New chat" });
  await dialog.getByRole("searchbox", { name: "Add people" }).fill(bob.name);
  await dialog.getByRole("button", { name: `Add ${bob.name}` }).click();
  await dialog.getByLabel("Topic").fill("Slow start");
  await dialog.getByRole("button", { name: "Start chat" }).click();

  const connecting = dialog.getByRole("status").filter({ hasText: "Connecting…" });
  await expect(connecting).toBeVisible();
  expect(released, "the chat code was still held back when Start chat was clicked").toBe(false);
  await page.screenshot({ path: testInfo.outputPath("slow-start-connecting.png") });
  sawConnecting();

  // The one click above is all it takes.
  await expect(page).toHaveURL(/\/chat\/[^/]+$/, { timeout: 60_000 });
  await expect(page.getByRole("heading", { level: 1, name: "Slow start" })).toBeVisible({
    timeout: 30_000,
  });
  expect(requestedAt, "the chat code was asked for and held back").toBeDefined();
  expect(released).toBe(true);
  expect(await alertsSeen()).toEqual([]);

  await cdp.detach();
  await context.close();
});
