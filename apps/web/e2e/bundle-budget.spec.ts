// Initial JavaScript per page, from the production build the suite serves: the scripts Chromium
// fetches before `load`, gzip-compressed (bench/initial-js.ts, the same count as the web bench).
// Sizes are deterministic for a build, so this is a size check, not a timed one.
import { expect, test, type BrowserContext } from "@playwright/test";
import {
  INITIAL_JS_CEILING_KIB,
  isChatSdkScript,
  measureInitialJs,
  type InitialJs,
  type PageLabel,
} from "../bench/initial-js";
import { newPerson, signUp, startChatWith } from "./helpers";

async function measureFresh(context: BrowserContext, url: string): Promise<InitialJs> {
  const page = await context.newPage();
  // An empty cache, so every script is fetched (and counted) again.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const measured = await measureInitialJs(page, url);
  await page.close();
  return measured;
}

function expectWithinCeiling(label: PageLabel, measured: InitialJs) {
  const largest = [...measured.scripts]
    .sort((a, b) => b.gzipBytes - a.gzipBytes)
    .slice(0, 5)
    .map((s) => `${s.name} ${(s.gzipBytes / 1024).toFixed(1)} KiB`)
    .join(", ");
  expect(
    measured.gzipBytes / 1024,
    `initial JS of ${label} (gzip KiB; largest: ${largest}); see \`pnpm --filter @acs-stack/web bench\``,
  ).toBeLessThanOrEqual(INITIAL_JS_CEILING_KIB[label]);
}

test("the start page's initial JS stays within its ceiling", async ({ context }) => {
  const start = await measureFresh(context, "/");
  expect(start.scripts.length, "the page loads scripts").toBeGreaterThan(0);
  expectWithinCeiling("/", start);
});

test("the chats page's initial JS stays within its ceiling, without the chat SDK", async ({
  context,
  page,
}) => {
  await signUp(page, newPerson("Budget"));
  const chats = await measureFresh(context, "/chat");
  expectWithinCeiling("/chat", chats);
  expect(
    chats.scripts.filter(isChatSdkScript).map((s) => s.name),
    "the chat SDK is loaded after the page, by dynamic import",
  ).toEqual([]);
});

test("a thread page's initial JS stays within its ceiling, without the chat SDK", async ({
  browser,
  context,
  page,
}) => {
  const other = newPerson("BudgetPeer");
  const otherContext = await browser.newContext();
  await signUp(await otherContext.newPage(), other);
  await otherContext.close();
  await signUp(page, newPerson("BudgetThread"));
  const threadPath = await startChatWith(page, other, "Budget");
  const thread = await measureFresh(context, threadPath);
  expectWithinCeiling("/chat/[threadId]", thread);
  expect(
    thread.scripts.filter(isChatSdkScript).map((s) => s.name),
    "the chat SDK is loaded after the page, by dynamic import",
  ).toEqual([]);
});
