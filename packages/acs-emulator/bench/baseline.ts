// A bare node https server on the emulator's own certificate: the baseline a bench divides by.
import https from "node:https";
import type { AddressInfo } from "node:net";
import { createInMemoryKeyMaterial } from "../src/certs";

export interface BareServer {
  readonly endpoint: string;
  readonly caCertPem: string;
  close(): Promise<void>;
}

/** Answers every request with `status` and the JSON `body`, after reading the request body. */
export async function startBareServer(
  answer: (method: string, url: string) => { status: number; body?: unknown },
): Promise<BareServer> {
  const { tls } = createInMemoryKeyMaterial();
  const server = https.createServer(
    { key: tls.serverKeyPem, cert: tls.serverCertPem, keepAlive: true },
    (req, res) => {
      req.resume();
      req.on("end", () => {
        const { status, body } = answer(req.method ?? "GET", req.url ?? "/");
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
      });
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

export function report(name: string, emulatorOps: number, baselineOps: number): void {
  const ratio = emulatorOps / baselineOps;
  console.log(
    `${name}: emulator ${emulatorOps.toFixed(0)} ops/s, bare node https ${baselineOps.toFixed(0)} ops/s, ratio ${(ratio * 100).toFixed(1)}% (goal ≥ 60%)`,
  );
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

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
  await measure(options.warmup, options.concurrency, emulatorOperation);
  await measure(options.warmup, options.concurrency, baselineOperation);
  const emulatorRuns: Throughput[] = [];
  const baselineRuns: Throughput[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    emulatorRuns.push(
      await measureThroughput(options.count, options.concurrency, emulatorOperation),
    );
    baselineRuns.push(
      await measureThroughput(options.count, options.concurrency, baselineOperation),
    );
  }
  const label = `${name} (${options.rounds} alternating rounds × ${options.count} requests, concurrency ${options.concurrency}, medians)`;
  report(
    label,
    median(emulatorRuns.map((r) => r.opsPerSecond)),
    median(baselineRuns.map((r) => r.opsPerSecond)),
  );
  const emulatorCpu = median(emulatorRuns.map((r) => r.opsPerCpuSecond));
  const baselineCpu = median(baselineRuns.map((r) => r.opsPerCpuSecond));
  console.log(
    `  per CPU-second of this process: emulator ${emulatorCpu.toFixed(0)} ops, bare ${baselineCpu.toFixed(0)} ops, ratio ${((emulatorCpu / baselineCpu) * 100).toFixed(1)}% (less sensitive to other processes' load)`,
  );
}
