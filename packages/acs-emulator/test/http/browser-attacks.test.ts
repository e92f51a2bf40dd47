// The same attacks from a real browser (Chromium): a page on another site tries to read the
// emulator's `/emulator/info` (and with it the access key) by DNS rebinding (its own name resolves to
// 127.0.0.1, so its requests reach the emulator as same-origin ones) and by a cross-origin fetch.
// The attacker's page is served by Playwright's router; its requests to the emulator are real.
import type { Browser, Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium";
import { startTestEmulator, type TestEmulator } from "../support/emulator";

/** What this attack needs of the browser. */
const ATTACK_ARGS = [
  // The attacker's DNS: its name now points at this machine.
  "--host-resolver-rules=MAP evil.example 127.0.0.1",
  // Chromium's own Local Network Access prompt (not in every browser, and a user may allow it) would
  // stop these pages first; off, so that what is tested is the emulator's defence.
  "--disable-features=LocalNetworkAccessChecks",
];

let emulator: TestEmulator;
let browser: Browser;
let accessKey: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  accessKey = emulator.connectionString.split("accesskey=")[1] ?? "";
  browser = await launchChromium(ATTACK_ARGS);
});
afterAll(async () => {
  await browser.close();
  await emulator.close();
});

/** A page at `origin` whose document is served by the router (the emulator never sees it). */
async function pageAt(origin: string): Promise<Page> {
  const page = await browser.newPage();
  await page.route(
    (url) => url.origin === origin && url.pathname === "/",
    (route) => route.fulfill({ contentType: "text/html", body: "<title>a page</title>" }),
  );
  await page.goto(`${origin}/`);
  return page;
}

/** What the page's script can read of a fetch, or the error it gets. */
function readFrom(page: Page, url: string) {
  return page.evaluate(async (target) => {
    try {
      const response = await fetch(target);
      return { status: response.status, body: await response.text() };
    } catch (error) {
      return { error: String(error) };
    }
  }, url);
}

describe("a page of another site", () => {
  it("cannot read the emulator through DNS rebinding (its Host is refused)", async () => {
    const page = await pageAt(`http://evil.example:${emulator.port}`);
    const read = await readFrom(page, "/emulator/info");
    expect(read).toMatchObject({ status: 421 });
    expect(JSON.stringify(read)).not.toContain(accessKey);
    await page.close();
  });

  it("cannot read the emulator cross-origin (no CORS grant)", async () => {
    const page = await pageAt("http://evil.example:8080");
    const read = await readFrom(page, `http://127.0.0.1:${emulator.port}/emulator/info`);
    expect(read).toEqual({ error: expect.stringContaining("Failed to fetch") as unknown });
    await page.close();
  });
});

describe("a page on this machine", () => {
  it("reads the emulator cross-origin from http://localhost:<port>", async () => {
    const page = await pageAt("http://localhost:5999");
    const read = await readFrom(page, `http://127.0.0.1:${emulator.port}/emulator/info`);
    expect(read).toMatchObject({ status: 200 });
    expect(JSON.parse((read as { body: string }).body)).toMatchObject({
      connectionString: emulator.connectionString,
    });
    await page.close();
  });
});
