// RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signatures for user tokens, off the event loop, two ways:
// - "thread-pool": node's `crypto.sign` with a callback (libuv's thread pool);
// - "worker": one `node:worker_threads` worker (./signing-worker.mjs) holding the key; inputs and
//   signatures travel as transferred ArrayBuffers, batched per event-loop turn. If the worker fails,
//   its pending and all later signatures go to the thread pool: no token is lost to a worker crash.
// The thread pool is the default: one worker signs concurrent requests one after another and
// measured slower (README "Performance", bench/token-issue.bench.ts).
import { sign, type KeyObject } from "node:crypto";
import { Worker } from "node:worker_threads";

export type Rs256SignerKind = "thread-pool" | "worker";

export interface Rs256Signer {
  /** The RS256 signature of the UTF-8 bytes of `signingInput`. */
  sign(signingInput: string): Promise<Buffer>;
  /** Waits for pending signatures, then stops the worker (if any). Idempotent. */
  close(): Promise<void>;
}

export function createThreadPoolSigner(privateKey: KeyObject): Rs256Signer {
  return {
    sign: (signingInput) =>
      new Promise((resolve, reject) => {
        sign("sha256", Buffer.from(signingInput), privateKey, (error, signature) =>
          error ? reject(error) : resolve(signature),
        );
      }),
    close: () => Promise.resolve(),
  };
}

interface Pending {
  readonly signingInput: string;
  readonly resolve: (signature: Buffer) => void;
  readonly reject: (error: Error) => void;
}

type WorkerReply =
  | { readonly id: number; readonly signature: ArrayBuffer }
  | { readonly id: number; readonly error: string };

const SIGNING_WORKER_URL = new URL("./signing-worker.mjs", import.meta.url);
const encoder = new TextEncoder();

export interface WorkerSigner extends Rs256Signer {
  /** True from creation until the worker thread has exited (closed or failed). */
  readonly workerRunning: boolean;
}

export function createWorkerSigner(options: {
  privateKeyPem: string;
  /** Takes over when the worker fails, starting with the signatures it left pending. */
  fallback: Rs256Signer;
  /** Told once, when the worker fails. */
  onWorkerError?: (error: Error) => void;
  /** The worker script; tests pass one that fails. */
  workerUrl?: URL;
}): WorkerSigner {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let failed = false;
  let running = true;
  let terminating = false;
  let closing: Promise<void> | undefined;
  let drained: (() => void) | undefined;
  /** Inputs collected during one event-loop turn, posted together (see flush). */
  let batch: { id: number; data: Uint8Array<ArrayBuffer> }[] = [];

  // Started at once, not on the first token: booting a thread takes tens of milliseconds. It runs
  // plain JavaScript, so it gets none of the parent's flags (a TypeScript loader would slow it).
  // Reflect.construct, not the `new` operator: bundlers (Turbopack in `next dev`, which loads the
  // emulator in-process) read a `new`-constructed Worker of a non-literal URL as "any file may be the
  // worker" and try to bundle the whole repository (test/tokens/signing-worker.test.ts guards this).
  const worker: Worker = Reflect.construct(Worker, [
    options.workerUrl ?? SIGNING_WORKER_URL,
    { workerData: { privateKeyPem: options.privateKeyPem }, execArgv: [] },
  ]);
  // Idle, the worker never keeps the process alive; it does while signatures are pending.
  worker.unref();

  function settled(): void {
    if (pending.size > 0) return;
    worker.unref();
    drained?.();
  }

  function fail(error: Error): void {
    if (failed || terminating) return;
    failed = true;
    void worker.terminate();
    const stranded = [...pending.values()];
    pending.clear();
    options.onWorkerError?.(error);
    for (const job of stranded) {
      options.fallback.sign(job.signingInput).then(job.resolve, job.reject);
    }
    settled();
  }

  worker.on("message", (replies: WorkerReply[]) => {
    for (const reply of replies) {
      const job = pending.get(reply.id);
      if (!job) continue;
      pending.delete(reply.id);
      if ("error" in reply) job.reject(new Error(`signing worker: ${reply.error}`));
      else job.resolve(Buffer.from(reply.signature));
    }
    settled();
  });
  worker.on("error", fail);
  worker.on("exit", (code) => {
    running = false;
    fail(new Error(`signing worker exited with code ${code}`));
  });

  /**
   * Posts what this event-loop turn collected as one message (setImmediate runs after the poll
   * phase has read every ready socket), so concurrent token requests cost one thread wake-up.
   */
  function flush(): void {
    const posted = batch;
    batch = [];
    if (failed) return;
    worker.postMessage(
      posted,
      posted.map((job) => job.data.buffer),
    );
  }

  return {
    get workerRunning() {
      return running;
    },
    sign(signingInput) {
      if (closing) return Promise.reject(new Error("the token signer is closed"));
      if (failed) return options.fallback.sign(signingInput);
      const id = (nextId += 1);
      const signature = new Promise<Buffer>((resolve, reject) => {
        pending.set(id, { signingInput, resolve, reject });
      });
      if (pending.size === 1) worker.ref();
      if (batch.length === 0) setImmediate(flush);
      batch.push({ id, data: encoder.encode(signingInput) });
      return signature;
    },
    close() {
      closing ??= (async () => {
        if (pending.size > 0) {
          await new Promise<void>((resolve) => {
            drained = resolve;
          });
        }
        terminating = true;
        await worker.terminate();
        await options.fallback.close();
      })();
      return closing;
    },
  };
}
