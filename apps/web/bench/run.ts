// Initial JavaScript of `/`, `/chat` and `/chat/[threadId]` as Chromium loads them from the production
// build: every script response fetched before the page's `load` event, gzip-compressed here (level 9,
// what a CDN serves). Ratios are against `/`, measured in the same run. Also the size of the
// standalone output (what the server image carries). Requires `pnpm build` first.
import { spawn, type ChildProcess } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromiumLaunchOptions } from "../e2e/chromium";
import { freePort } from "../e2e/free-port";
import { gzipSync } from "node:zlib";
import { chromium, type Page, type Response } from "@playwright/test";
import { startEmulator } from "@acs-stack/acs-emulator";
import { createAccounts, type Account } from "../prod/accounts";
import { benchEnv } from "./env";

const WEB_DIR = join(import.meta.dirname, "..");
const MIGRATIONS = join(WEB_DIR, "..", "..", "packages", "acs-server", "drizzle");

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

interface Measure {
  files: Array<{ name: string; gzipBytes: number }>;
  scripts: number;
  rawBytes: number;
  gzipBytes: number;
}

/** Loads `path` in a fresh page and sums the scripts fetched before `load`. */
async function measure(page: Page, url: string): Promise<Measure> {
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
  const loadedScripts = (await Promise.all(bodies)).filter(
    (b): b is { name: string; body: Buffer } => b !== null,
  );
  const buffers = loadedScripts.map((s) => s.body);
  return {
    files: loadedScripts.map((s) => ({
      name: s.name,
      gzipBytes: gzipSync(s.body, { level: 9 }).length,
    })),
    scripts: buffers.length,
    rawBytes: buffers.reduce((sum, b) => sum + b.length, 0),
    gzipBytes: buffers.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0),
  };
}

/** Client chunks that contain the official chat SDK (its user-agent prefix). */
function chatSdkChunks(): Set<string> {
  const dir = join(WEB_DIR, ".next", "static", "chunks");
  return new Set(
    readdirSync(dir).filter(
      (f) =>
        f.endsWith(".js") &&
        readFileSync(join(dir, f), "utf8").includes("azsdk-js-communication-chat"),
    ),
  );
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

async function main() {
  printStandaloneSize();
  const dataDir = mkdtempSync(join(tmpdir(), "acs-web-bench-"));
  const emulator = await startEmulator({ port: 0, inMemory: true, logLevel: "silent" });
  const [bob, ada] = (await createAccounts(
    { dataDir: join(dataDir, "pglite"), migrationsFolder: MIGRATIONS },
    2,
    "bench",
  )) as [Account, Account];
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
    const rows: Array<[string, Measure]> = [];
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
      rows.push([label, await measure(page, path)]);
      await page.close();
    }

    const baseline = rows[0]![1].gzipBytes;
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    console.log("\nInitial JS as loaded by Chromium before `load` (production build)\n");
    console.log(
      [
        "page".padEnd(20),
        "scripts".padStart(8),
        "raw".padStart(12),
        "gzip".padStart(12),
        "vs /".padStart(8),
        "goal ≤170 KiB gz",
      ].join(" "),
    );
    for (const [label, m] of rows) {
      const goal = label === "/" ? "" : m.gzipBytes <= 170 * 1024 ? "within" : "over";
      console.log(
        [
          label.padEnd(20),
          String(m.scripts).padStart(8),
          kib(m.rawBytes).padStart(12),
          kib(m.gzipBytes).padStart(12),
          `${(m.gzipBytes / baseline).toFixed(2)}×`.padStart(8),
          goal,
        ].join(" "),
      );
    }
    // Where the chat SDK went: it must be a separate chunk fetched after `load` (dynamic import).
    const sdkChunks = chatSdkChunks();
    for (const [label, m] of rows) {
      const sdk = m.files.filter((f) => sdkChunks.has(f.name));
      console.log(
        `${label}: chat SDK chunk in the initial load: ${sdk.length ? sdk.map((f) => `${f.name} (${kib(f.gzipBytes)})`).join(", ") : "no"}`,
      );
    }
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
