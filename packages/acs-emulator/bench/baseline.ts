// A bare node https server on the emulator's own certificate: the baseline a bench divides by.
import https from "node:https";
import type { AddressInfo } from "node:net";
import { createInMemoryKeyMaterial } from "../src/certs";

export interface BareServer {
  readonly endpoint: string;
  readonly caCertPem: string;
  close(): Promise<void>;
}

export interface BareAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/** Answers every request with `status` and the JSON `body`, after reading the request body. */
export async function startBareServer(
  answer: (method: string, url: string) => BareAnswer | Promise<BareAnswer>,
): Promise<BareServer> {
  const { tls } = createInMemoryKeyMaterial();
  const server = https.createServer(
    { key: tls.serverKeyPem, cert: tls.serverCertPem, keepAlive: true },
    (req, res) => {
      req.resume();
      req.on("end", () => {
        const answered = answer(req.method ?? "GET", req.url ?? "/");
        if (answered instanceof Promise) {
          answered.then(respond, (error: unknown) => {
            console.error("bare server:", error);
            res.destroy();
          });
        } else {
          respond(answered);
        }
      });
      function respond({ status, body }: BareAnswer) {
        if (body === undefined) {
          res.writeHead(status, { "content-length": "0" }).end();
          return;
        }
        const payload = JSON.stringify(body);
        res
          .writeHead(status, {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(payload),
          })
          .end(payload);
      }
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}/`,
    caCertPem: tls.caCertPem,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Throughput {
  /** Wall-clock operations per second. */
  readonly opsPerSecond: number;
  /** Operations per CPU-second of this process (client + server + thread pool): robust to load from other processes. */
  readonly opsPerCpuSecond: number;
}

/** Runs `operation` `count` times with `concurrency` in flight. */
export async function measureThroughput(
  count: number,
  concurrency: number,
  operation: () => Promise<unknown>,
): Promise<Throughput> {
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        await operation();
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { opsPerSecond: count / seconds, opsPerCpuSecond: count / cpuSeconds };
}

/** Runs `operation` `count` times with `concurrency` in flight; returns operations per second. */
export async function measure(
  count: number,
  concurrency: number,
  operation: () => Promise<unknown>,
): Promise<number> {
  return (await measureThroughput(count, concurrency, operation)).opsPerSecond;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

export interface Baseline {
  /** How the report names it, e.g. "bare node https". */
  readonly label: string;
  readonly operation: () => Promise<unknown>;
}

/**
 * Alternates rounds of the emulator and the baseline (so load from other processes on a shared
 * machine hits both alike) and prints the medians and their ratio.
 */
export async function compare(
  name: string,
  emulatorOperation: () => Promise<unknown>,
  baselineOperation: () => Promise<unknown>,
  options: { rounds: number; count: number; concurrency: number; warmup: number },
): Promise<void> {
  await compareWithBaselines(
    name,
    emulatorOperation,
    [{ label: "bare node https", operation: baselineOperation }],
    options,
  );
}

/**
 * Like `compare`, against several baselines: each round runs the emulator, then every baseline,
 * back to back. A round's ratio pairs measurements taken within a second of each other, so the
 * median of the per-round ratios resists the load of other processes on a shared machine better
 * than a ratio of medians; both are printed (wall clock, and per CPU-second of this process).
 */
export async function compareWithBaselines(
  name: string,
  emulatorOperation: () => Promise<unknown>,
  baselines: readonly Baseline[],
  options: { rounds: number; count: number; concurrency: number; warmup: number },
): Promise<void> {
  await measure(options.warmup, options.concurrency, emulatorOperation);
  for (const baseline of baselines) {
    await measure(options.warmup, options.concurrency, baseline.operation);
  }
  const emulatorRuns: Throughput[] = [];
  const baselineRuns: Throughput[][] = baselines.map(() => []);
  for (let round = 0; round < options.rounds; round += 1) {
    emulatorRuns.push(
      await measureThroughput(options.count, options.concurrency, emulatorOperation),
    );
    for (const [index, baseline] of baselines.entries()) {
      baselineRuns[index]?.push(
        await measureThroughput(options.count, options.concurrency, baseline.operation),
      );
    }
  }
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const emulatorOps = median(emulatorRuns.map((r) => r.opsPerSecond));
  console.log(
    `${name} (${options.rounds} alternating rounds × ${options.count} requests, concurrency ${options.concurrency}): emulator ${emulatorOps.toFixed(0)} ops/s (median)`,
  );
  for (const [index, baseline] of baselines.entries()) {
    const runs = baselineRuns[index] ?? [];
    const pairedRatio = (pick: (run: Throughput) => number) =>
      median(runs.map((run, round) => pick(emulatorRuns[round] ?? run) / pick(run)));
    console.log(
      `  vs ${baseline.label}: ${median(runs.map((r) => r.opsPerSecond)).toFixed(0)} ops/s; ` +
        `ratio ${percent(pairedRatio((r) => r.opsPerSecond))} wall clock, ` +
        `${percent(pairedRatio((r) => r.opsPerCpuSecond))} per CPU-second (medians of per-round ratios)`,
    );
  }
}
