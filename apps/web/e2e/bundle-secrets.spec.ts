// The production build's client bundle must not carry any server secret.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { EMULATOR_DEFAULTS } from "@acs-stack/acs-emulator";
import { e2eEnv } from "./env";

const STATIC_DIR = join(import.meta.dirname, "..", ".next", "static");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test("the client bundle holds no connection string, access key or server secret", async ({
  request,
}) => {
  // The running emulator's real connection string (it embeds the access key).
  const info = (await (
    await request.get(`http://127.0.0.1:${e2eEnv.emulatorPort}/emulator/info`)
  ).json()) as {
    connectionString: string;
  };
  const accessKey = /accesskey=([^;]+)/i.exec(info.connectionString)?.[1];
  expect(accessKey, "the emulator's connection string carries a key").toBeTruthy();

  const forbidden: Array<[string, RegExp | string]> = [
    ["emulator connection string", info.connectionString],
    ["emulator access key (running)", accessKey!],
    ["emulator well-known primary key", EMULATOR_DEFAULTS.accessKey],
    ["emulator well-known secondary key", EMULATOR_DEFAULTS.secondaryAccessKey],
    ["any ACS connection string", /endpoint=https?:\/\/[^"'\s;]+;\s*accesskey=/i],
    ["an accesskey= assignment", /accesskey=/i],
    ["the e2e AUTH_SECRET", "e2e-only-secret-not-for-production"],
    ["a PostgreSQL URL", /postgres(?:ql)?:\/\/[^"'\s]*@/i],
    ["a private key", "PRIVATE KEY-----"],
    [
      "server env names",
      /\b(?:AUTH_SECRET|ACS_CONNECTION_STRING|ACS_ACCESS_KEY|AZURE_CLIENT_SECRET|DATABASE_URL)\b/,
    ],
  ];

  const files = filesUnder(STATIC_DIR).filter((f) => /\.(?:js|css|json|txt|map)$/.test(f));
  expect(files.length, "a production build exists (run `pnpm build` first)").toBeGreaterThan(5);
  const leaks: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const [what, pattern] of forbidden) {
      const found = typeof pattern === "string" ? text.includes(pattern) : pattern.test(text);
      if (found) leaks.push(`${what} in ${file.slice(STATIC_DIR.length)}`);
    }
  }
  expect(leaks).toEqual([]);
});
