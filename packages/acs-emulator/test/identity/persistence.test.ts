// State survives close() + startEmulator() on the same data dir: identities, revocations, deletions,
// and the CA / signing key; a torn trailing journal line (crash mid-write) is ignored.
import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ChatClient } from "@azure/communication-chat";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIdentityStore } from "../../src/identity/store";
import { createLogger } from "../../src/log";
import { createFileJournal } from "../../src/persistence/file-journal";
import type { JournalRecord } from "../../src/persistence/journal";
import { JOURNAL_FILE } from "../../src/server";
import { startTestEmulator } from "../support/emulator";

let dataDir: string;
const silent = createLogger("silent");

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "acs-emulator-test-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function jwksOf(httpEndpoint: string) {
  const response = await fetch(`${httpEndpoint}emulator/.well-known/jwks.json`);
  return createLocalJWKSet((await response.json()) as Parameters<typeof createLocalJWKSet>[0]);
}

describe("restart on the same data dir", () => {
  it("keeps identities, revocations and deletions, the CA and the token signing key", async () => {
    const first = await startTestEmulator({ inMemory: false, dataDir });
    const client = first.identityClient();
    const kept = await client.createUser();
    const revoked = await client.createUser();
    const deleted = await client.createUser();
    const keptToken = await client.getToken(kept, ["chat"]);
    const revokedToken = await client.getToken(revoked, ["chat"]);
    const deletedToken = await client.getToken(deleted, ["chat"]);
    await client.revokeTokens(revoked);
    await client.deleteUser(deleted);
    const caBefore = first.caCertPem;
    expect(first.caCertPath).toBe(path.join(dataDir, "ca.pem"));
    await first.close();

    const second = await startTestEmulator({ inMemory: false, dataDir });
    try {
      expect(second.caCertPem).toBe(caBefore);
      const again = second.identityClient();
      await expect(again.getToken(kept, ["chat"])).resolves.toHaveProperty("token");
      await expect(again.getToken(revoked, ["chat"])).resolves.toHaveProperty("token");
      await expect(again.getToken(deleted, ["chat"])).rejects.toMatchObject({ statusCode: 404 });
      // A token issued before the restart still verifies against the restarted emulator's JWKS.
      await expect(
        jwtVerify(keptToken.token, await jwksOf(second.httpEndpoint)),
      ).resolves.toBeDefined();
      // Through the chat API: the kept token works, the revoked one and the deleted user's are refused.
      const chat = (token: string) =>
        new ChatClient(second.endpoint, new AzureCommunicationTokenCredential(token), {
          tlsOptions: { ca: second.caCertPem },
          retryOptions: { maxRetries: 0 },
        });
      await expect(chat(keptToken.token).listChatThreads().next()).resolves.toBeDefined();
      await expect(chat(revokedToken.token).listChatThreads().next()).rejects.toMatchObject({
        statusCode: 401,
      });
      await expect(chat(deletedToken.token).listChatThreads().next()).rejects.toMatchObject({
        statusCode: 401,
      });
    } finally {
      await second.close();
    }

    // The journal (snapshot + tail) holds the revocation: replaying it yields the bumped generation.
    const journal = createFileJournal(dataDir, silent);
    const store = createIdentityStore(journal);
    await journal.replay((record) => store.apply(record));
    await journal.close();
    expect(store.get(revoked.communicationUserId)?.tokenGeneration).toBe(1);
    expect(store.get(kept.communicationUserId)?.tokenGeneration).toBe(0);
    expect(store.exists(deleted.communicationUserId)).toBe(false);
  });

  it("ignores a torn trailing journal line and keeps appending on a clean line", async () => {
    const first = await startTestEmulator({ inMemory: false, dataDir });
    const user = await first.identityClient().createUser();
    await first.close();
    await appendFile(path.join(dataDir, JOURNAL_FILE), '{"type":"identity.created","at":"2026-');

    const second = await startTestEmulator({ inMemory: false, dataDir });
    const added = await second.identityClient().createUser();
    await expect(second.identityClient().getToken(user, ["chat"])).resolves.toHaveProperty("token");
    await second.close();

    const third = await startTestEmulator({ inMemory: false, dataDir });
    try {
      await expect(third.identityClient().getToken(added, ["chat"])).resolves.toHaveProperty(
        "token",
      );
      await expect(third.identityClient().getToken(user, ["chat"])).resolves.toHaveProperty(
        "token",
      );
    } finally {
      await third.close();
    }
    const lines = (await readFile(path.join(dataDir, JOURNAL_FILE), "utf8"))
      .split("\n")
      .filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});

describe("file journal", () => {
  it("makes concurrent appends durable in order, sharing fsyncs (group commit)", async () => {
    const syncs: number[] = [];
    const journal = createFileJournal(dataDir, silent, { onSync: (count) => syncs.push(count) });
    await journal.replay(() => undefined);
    const records: JournalRecord[] = Array.from({ length: 200 }, (_, i) => ({
      type: "test.record",
      at: new Date(0).toISOString(),
      data: { i },
    }));
    await Promise.all(records.map((record) => journal.append(record)));
    await journal.close();
    expect(syncs.reduce((a, b) => a + b, 0)).toBe(records.length);
    expect(syncs.length).toBeLessThan(records.length / 2);

    const replayed: JournalRecord[] = [];
    const reopened = createFileJournal(dataDir, silent);
    await reopened.replay((record) => replayed.push(record));
    await reopened.close();
    expect(replayed).toEqual(records);
  });

  it("refuses appends after close", async () => {
    const journal = createFileJournal(dataDir, silent);
    await journal.close();
    await expect(journal.append({ type: "x", at: "", data: null })).rejects.toThrow("closed");
  });
});
