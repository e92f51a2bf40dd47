// The data dir keeps private keys and a journal (deleted messages until compaction): it is the owner's
// alone (dir 0700, files 0600) whatever the process umask, and a data dir left open by an older
// version is closed on the next start.
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ChatClient } from "@azure/communication-chat";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JOURNAL_FILE, SNAPSHOT_FILE } from "../../src/server";
import { startTestEmulator } from "../support/emulator";

let parent: string;
let previousUmask: number;

beforeEach(async () => {
  parent = await mkdtemp(path.join(tmpdir(), "acs-emulator-modes-"));
  // The most permissive umask: nothing may rely on it to keep the files private.
  previousUmask = process.umask(0o000);
});
afterEach(async () => {
  process.umask(previousUmask);
  await rm(parent, { recursive: true, force: true });
});

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

async function modesIn(dataDir: string): Promise<Record<string, string>> {
  const modes: Record<string, string> = { ".": (await modeOf(dataDir)).toString(8) };
  for (const name of await readdir(dataDir))
    modes[name] = (await modeOf(path.join(dataDir, name))).toString(8);
  return modes;
}

/** Creates a user, a thread and a message, so the journal and every key file exist. */
async function useEmulator(dataDir: string): Promise<void> {
  const emulator = await startTestEmulator({ inMemory: false, dataDir });
  try {
    const client = emulator.identityClient();
    const user = await client.createUser();
    const { token } = await client.getToken(user, ["chat"]);
    const chat = new ChatClient(emulator.endpoint, new AzureCommunicationTokenCredential(token), {
      tlsOptions: { ca: emulator.caCertPem },
      retryOptions: { maxRetries: 0 },
    });
    const { chatThread } = await chat.createChatThread({ topic: "private" });
    await chat.getChatThreadClient(chatThread!.id).sendMessage({ content: "kept in the journal" });
  } finally {
    await emulator.close();
  }
}

const PRIVATE = {
  ".": "700",
  "ca.pem": "600",
  "ca-key.pem": "600",
  "server.pem": "600",
  "server-key.pem": "600",
  "token-signing-key.pem": "600",
  [JOURNAL_FILE]: "600",
};

describe("data dir file modes", () => {
  it("creates the data dir 0700 and its journal, keys and certificates 0600 under umask 000", async () => {
    const dataDir = path.join(parent, "acs-emulator");
    await useEmulator(dataDir);
    expect(await modesIn(dataDir)).toEqual(PRIVATE);
  });

  it("makes an existing world-readable data dir private on start", async () => {
    const dataDir = path.join(parent, "acs-emulator");
    await useEmulator(dataDir);
    // The second start compacts the first run's records into a snapshot.
    await useEmulator(dataDir);
    // As an older version (or a copy) left it: everything readable by everyone.
    await chmod(dataDir, 0o777);
    for (const name of await readdir(dataDir)) await chmod(path.join(dataDir, name), 0o666);

    await useEmulator(dataDir);
    expect(await modesIn(dataDir)).toEqual({ ...PRIVATE, [SNAPSHOT_FILE]: "600" });
  });

  it("leaves a data dir's unrelated files alone but keeps the dir itself private", async () => {
    const dataDir = path.join(parent, "given");
    await mkdir(dataDir, { mode: 0o755 });
    await writeFile(path.join(dataDir, "notes.txt"), "mine", { mode: 0o644 });
    await useEmulator(dataDir);
    const modes = await modesIn(dataDir);
    expect(modes).toEqual({ ...PRIVATE, "notes.txt": "644" });
  });
});
