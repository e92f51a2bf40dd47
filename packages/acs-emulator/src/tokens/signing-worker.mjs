// The signing worker of rs256-signer.ts: holds the token key and signs batches of JWT signing
// inputs with RS256. Plain JavaScript, so it starts the same under tsx, vitest and plain node.
import { createPrivateKey, sign } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";

const key = createPrivateKey(workerData.privateKeyPem);

/** One message in, one message out per batch: every cross-thread message wakes a thread. */
parentPort.on("message", (/** @type {{ id: number, data: Uint8Array }[]} */ batch) => {
  const replies = [];
  const transfer = [];
  for (const { id, data } of batch) {
    try {
      // A fresh ArrayBuffer of exactly the signature, handed over (transferred), not copied.
      const signature = new Uint8Array(sign("sha256", data, key)).buffer;
      replies.push({ id, signature });
      transfer.push(signature);
    } catch (error) {
      replies.push({ id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  parentPort.postMessage(replies, transfer);
});
