// sendMessage throughput (ChatThreadClient.sendMessage over HTTPS) against the emulator — in memory
// and persisted (journal fsync) — vs a bare node https server answering the same request shape
// (201 {"id"}) with the same TLS and client, in the same run. Prints numbers; never fails on them.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ChatClient } from "@azure/communication-chat";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { startEmulator, type EmulatorOptions } from "../src/index";
import { compare, startBareServer } from "./baseline";

const OPTIONS = { rounds: 5, count: 150, concurrency: 4, warmup: 50 };

async function chatOn(options: EmulatorOptions) {
  const emulator = await startEmulator({ port: 0, logLevel: "silent", ...options });
  const identity = new CommunicationIdentityClient(emulator.connectionString, {
    tlsOptions: { ca: emulator.caCertPem },
  });
  const { token } = await identity.createUserAndToken(["chat"]);
  const client = new ChatClient(emulator.endpoint, new AzureCommunicationTokenCredential(token), {
    tlsOptions: { ca: emulator.caCertPem },
  });
  const threadId = (await client.createChatThread({ topic: "bench" })).chatThread?.id ?? "";
  return { emulator, token, thread: client.getChatThreadClient(threadId), threadId };
}

export default async function sendMessageBench(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "acs-emulator-bench-"));
  const memory = await chatOn({ inMemory: true });
  const disk = await chatOn({ inMemory: false, dataDir });
  let nextId = Date.now();
  const bare = await startBareServer(() => ({ status: 201, body: { id: String((nextId += 1)) } }));
  const bareThread = new ChatClient(
    bare.endpoint,
    new AzureCommunicationTokenCredential(memory.token),
    {
      tlsOptions: { ca: bare.caCertPem },
    },
  ).getChatThreadClient(memory.threadId);

  try {
    const body = { content: "Hello from the send-message bench, about the size of a chat line." };
    const options = { senderDisplayName: "Bench" };
    const onMemory = () => memory.thread.sendMessage(body, options);
    const onDisk = () => disk.thread.sendMessage(body, options);
    const onBare = () => bareThread.sendMessage(body, options);
    await compare("sendMessage, in memory", onMemory, onBare, OPTIONS);
    // Context: every acknowledged message is fsync'ed first (group commit across concurrent requests).
    await compare("sendMessage, persisted journal", onDisk, onBare, OPTIONS);
  } finally {
    await bare.close();
    await memory.emulator.close();
    await disk.emulator.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
