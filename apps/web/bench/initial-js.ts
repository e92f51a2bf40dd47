// Initial JavaScript of a page as Chromium loads it from the production build: every script response
// fetched before the page's `load` event, gzip-compressed here (level 9, what a CDN serves). Shared
// by the web bench (bench/run.ts) and the budget guard (e2e/bundle-budget.spec.ts), so both count
// the same bytes.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page, Response } from "@playwright/test";

/** The initial-JS budgets per page, in KiB of gzip. */
export const INITIAL_JS_BUDGET_KIB = { "/": 120, "/chat": 165, "/chat/[threadId]": 165 } as const;

/**
 * What the suite enforces (e2e/bundle-budget.spec.ts), in KiB of gzip: the budgets themselves. `/` is
 * a Pages Router page with no runtime JavaScript (src/pages/index.tsx), whose one script is the
 * unsent-messages notice (under 1 KiB); the chat pages measure 154.7 and 157.3 KiB (README, "Tests",
 * `pnpm bench`) with no query library and the token credential, chat session and SDK loaded on demand.
 */
export const INITIAL_JS_CEILING_KIB = INITIAL_JS_BUDGET_KIB;

export type PageLabel = keyof typeof INITIAL_JS_BUDGET_KIB;

export interface InitialScript {
  name: string;
  rawBytes: number;
  gzipBytes: number;
  text: string;
}

export interface InitialJs {
  scripts: InitialScript[];
  rawBytes: number;
  gzipBytes: number;
}

/** Loads `url` in `page` (a fresh one, cache disabled by the caller) and collects the scripts fetched before `load`. */
export async function measureInitialJs(page: Page, url: string): Promise<InitialJs> {
  const bodies: Array<Promise<{ name: string; body: Buffer } | null>> = [];
  let loaded = false;
  const onResponse = (response: Response) => {
    if (loaded || response.request().resourceType() !== "script") return;
    const name = new URL(response.url()).pathname.split("/").pop() ?? response.url();
    bodies.push(
      response.body().then(
        (body) => ({ name, body }),
        () => null,
      ),
    );
  };
  page.on("response", onResponse);
  await page.goto(url, { waitUntil: "load" });
  loaded = true;
  page.off("response", onResponse);
  const scripts = (await Promise.all(bodies))
    .filter((b): b is { name: string; body: Buffer } => b !== null)
    .map(({ name, body }) => ({
      name,
      rawBytes: body.length,
      gzipBytes: gzipSync(body, { level: 9 }).length,
      text: body.toString("utf8"),
    }));
  return {
    scripts,
    rawBytes: scripts.reduce((sum, s) => sum + s.rawBytes, 0),
    gzipBytes: scripts.reduce((sum, s) => sum + s.gzipBytes, 0),
  };
}

/** Scripts of the official chat SDK (its user-agent prefix), which must stay out of the initial load. */
export const isChatSdkScript = (script: Pick<InitialScript, "text">) =>
  script.text.includes("azsdk-js-communication-chat");

/**
 * What a chunk holds, by strings each library leaves in its minified code (module names are not in
 * production chunks). A guide for the reader, not an exact account; `next analyze` gives that.
 */
const SIGNATURES: Array<[label: string, marker: string]> = [
  ["turbopack runtime", "Unexpected use of runtime require"],
  ["react-dom", "__reactContainer$"],
  ["react", "react.transitional.element"],
  ["RSC client (react-server-dom)", "The reply ended."],
  ["next app router", "next-router-state-tree"],
  ["next navigation hooks", "ReadonlyURLSearchParams"],
  ["next/link", "legacyBehavior"],
  ["tRPC client", "TRPCClientError"],
  ["tRPC SSE subscriptions", "lastEventId"],
  ["tRPC WebSocket client (kept by @trpc/client)", "WebSocketPonyfill"],
  ["acs-client token credential", "acs-token"],
  ["acs-client chat session", "emulator-events"],
  ["ACS chat SDK", "azsdk-js-communication-chat"],
  ["app: sign-in/sign-up forms", "Create account"],
  ["app: sign out, unsent messages", "sessionStorage"],
  ["app: start page's unsent-messages notice (plain DOM)", "storageKey"],
  ["app: presence", "presence-dot"],
  ["app: thread list", "New chat"],
];

export function describeChunk(text: string): string[] {
  return [...new Set(SIGNATURES.filter(([, marker]) => text.includes(marker)).map(([l]) => l))];
}

/**
 * Scripts every page loads (Next.js's own: `rootMainFiles` of the build manifest), by file name, so
 * a page's bytes split into the framework's and this app's. Empty without a build.
 */
export function frameworkScripts(webDir: string): Set<string> {
  const manifest = join(webDir, ".next", "build-manifest.json");
  if (!existsSync(manifest)) return new Set();
  const { rootMainFiles = [] } = JSON.parse(readFileSync(manifest, "utf8")) as {
    rootMainFiles?: string[];
  };
  return new Set(rootMainFiles.map((f) => f.split("/").pop() ?? f));
}

/** Client chunks of the build that contain the official chat SDK. */
export function chatSdkChunks(webDir: string): Set<string> {
  const dir = join(webDir, ".next", "static", "chunks");
  return new Set(
    readdirSync(dir).filter(
      (f) => f.endsWith(".js") && isChatSdkScript({ text: readFileSync(join(dir, f), "utf8") }),
    ),
  );
}
