// Initial JavaScript of `/`, `/chat` and `/chat/[threadId]` as Chromium loads them from the production
// build: every script response fetched before the page's `load` event, gzip-compressed here (level 9,
// what a CDN serves; bench/initial-js.ts). Ratios are against `/`, measured in the same run; "app" is
// what is left after the scripts every page loads (Next.js's own, the build manifest's rootMainFiles). Then each page's largest scripts
// and what they hold. Also the size of the standalone output (what the server image carries).
// Requires `pnpm build` first.
import { spawn, type ChildProcess } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromiumLaunchOptions } from "../e2e/chromium";
import { freePort } from "@acs-stack/config/free-port";
import { chromium } from "@playwright/test";
import { startEmulator } from "@acs-stack/acs-emulator";
import { createAccounts, type Account } from "../prod/accounts";
import { benchEnv } from "./env";
import {
  chatSdkChunks,
  describeChunk,
  frameworkScripts,
  INITIAL_JS_BUDGET_KIB,
  measureInitialJs,
  type InitialJs,
  type PageLabel,
} from "./initial-js";

const WEB_DIR = join(import.meta.dirname, "..");

async function startApp(
  port: number,
  emulatorPort: number,
  dataDir: string,
): Promise<ChildProcess> {
  const child = spawn(
    join(WEB_DIR, "node_modules", ".bin", "next"),
    ["start", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: WEB_DIR,
      env: {
        PATH: benchEnv.path,
        NODE_ENV: "production",
        AUTH_SECRET: "bench-only-secret-0123456789abcdef",
        AUTH_URL: `http://localhost:${port}`,
        PGLITE_DATA_DIR: join(dataDir, "pglite"),
        // A production server on PGlite and the emulator this bench started (the one opt-in).
        ACS_STACK_ALLOW_DEV_DEFAULTS: "true",
        ACS_EMULATOR_PORT: String(emulatorPort),
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready in/i.test(output)) resolve();
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.once("exit", (code) => reject(new Error(`next start exited with ${code}:\n${output}`)));
  });
  return child;
}

/**
 * Bytes and files under `dir`, symbolic links counted as links (pnpm's layout), not followed;
 * `skip`: directories left out.
 */
function sizeOf(dir: string, skip: ReadonlySet<string>): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip.has(path)) continue;
    if (entry.isDirectory()) {
      const inner = sizeOf(path, skip);
      bytes += inner.bytes;
      files += inner.files;
    } else {
      bytes += lstatSync(path).size;
      files += 1;
    }
  }
  return { bytes, files };
}

/** The standalone output as `next build` writes it (the e2e copies .next/static in, as the Dockerfile does). */
function printStandaloneSize() {
  const standalone = join(WEB_DIR, ".next", "standalone");
  const { bytes, files } = sizeOf(
    standalone,
    new Set([join(standalone, "apps", "web", ".next", "static")]),
  );
  console.log(
    `\nStandalone output (.next/standalone): ${(bytes / 1e6).toFixed(1)} MB in ${files} files\n`,
  );
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function printInitialJs(rows: Array<[PageLabel, InitialJs]>) {
  const baseline = rows[0]![1].gzipBytes;
  const framework = frameworkScripts(WEB_DIR);
  const appBytes = (m: InitialJs) =>
    m.scripts.filter((s) => !framework.has(s.name)).reduce((sum, s) => sum + s.gzipBytes, 0);
  console.log("\nInitial JS as loaded by Chromium before `load` (production build)\n");
  console.log(
    [
      "page".padEnd(20),
      "scripts".padStart(8),
      "raw".padStart(12),
      "gzip".padStart(12),
      "app gzip".padStart(12),
      "vs /".padStart(8),
      "goal (gz)",
    ].join(" "),
  );
  for (const [label, m] of rows) {
    const budget = INITIAL_JS_BUDGET_KIB[label];
    const verdict = m.gzipBytes <= budget * 1024 ? "within" : "over";
    console.log(
      [
        label.padEnd(20),
        String(m.scripts.length).padStart(8),
        kib(m.rawBytes).padStart(12),
        kib(m.gzipBytes).padStart(12),
        kib(appBytes(m)).padStart(12),
        `${(m.gzipBytes / baseline).toFixed(2)}×`.padStart(8),
        `≤${budget} KiB: ${verdict}`,
      ].join(" "),
    );
  }
  // Where the bytes go: each page's largest scripts, Next.js's own marked, with what they hold.
  for (const [label, m] of rows) {
    console.log(`\n${label}: largest initial scripts`);
    for (const s of [...m.scripts].sort((x, y) => y.gzipBytes - x.gzipBytes).slice(0, 6)) {
      const owner = framework.has(s.name) ? "next.js" : "page";
      const holds = describeChunk(s.text).join(", ") || "?";
      console.log(
        `  ${kib(s.gzipBytes).padStart(10)}  ${s.name.padEnd(22)} ${owner.padEnd(8)} ${holds}`,
      );
    }
  }
  // Where the chat SDK went: it must be a separate chunk fetched after `load` (dynamic import).
  const sdkChunks = chatSdkChunks(WEB_DIR);
  console.log("");
  for (const [label, m] of rows) {
    const sdk = m.scripts.filter((f) => sdkChunks.has(f.name));
    console.log(
      `${label}: chat SDK chunk in the initial load: ${sdk.length ? sdk.map((f) => `${f.name} (${kib(f.gzipBytes)})`).join(", ") : "no"}`,
    );
  }
}

async function main() {
  printStandaloneSize();
  const dataDir = mkdtempSync(join(tmpdir(), "acs-web-bench-"));
  const emulator = await startEmulator({ port: 0, inMemory: true, logLevel: "silent" });
  const [bob, ada] = (await createAccounts({ dataDir: join(dataDir, "pglite") }, 2, "bench")) as [
    Account,
    Account,
  ];
  const port = await freePort();
  const app = await startApp(port, emulator.port, dataDir);
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const base = `http://localhost:${port}`;
    // Two people and one thread, through the UI, so the chat pages render for real. Their accounts were
    // written before the server opened PGlite (production sign-up confirms by mail; not measured here).
    const context = await browser.newContext({ baseURL: base });
    const setup = await context.newPage();
    for (const person of [bob, ada]) {
      await setup.goto("/");
      const form = setup.getByRole("form", { name: "Sign in" });
      await form.getByLabel("Email").fill(person.email);
      await form.getByLabel("Password").fill(person.password);
      await setup.getByRole("button", { name: "Sign in" }).click();
      await setup.waitForURL(/\/chat$/);
      if (person === bob) {
        await setup.getByRole("button", { name: "Sign out" }).click();
        await setup.getByRole("button", { name: "Sign in" }).waitFor();
      }
    }
    await setup.getByRole("button", { name: "New chat" }).click();
    await setup.getByRole("searchbox", { name: "Add people" }).fill(bob.displayName);
    await setup.getByRole("button", { name: `Add ${bob.displayName}` }).click();
    await setup.getByLabel("Topic").fill("bench");
    await setup.getByRole("button", { name: "Start chat" }).click();
    await setup.waitForURL(/\/chat\/[^/]+$/);
    const threadPath = new URL(setup.url()).pathname;

    const anonymous = await browser.newContext({ baseURL: base });
    const rows: Array<[PageLabel, InitialJs]> = [];
    // Warm the server once per route, then measure with an empty browser cache.
    for (const [label, ctx, path] of [
      ["/", anonymous, "/"],
      ["/chat", context, "/chat"],
      ["/chat/[threadId]", context, threadPath],
    ] as const) {
      const warm = await ctx.newPage();
      await warm.goto(path, { waitUntil: "load" });
      await warm.close();
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      rows.push([label, await measureInitialJs(page, path)]);
      await page.close();
    }

    printInitialJs(rows);
    await anonymous.close();
    await context.close();
  } finally {
    await browser.close();
    app.kill("SIGTERM");
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
