// The default model: reuse an emulator already running on this machine (found through its
// unauthenticated `GET /emulator/info`, over plain HTTP on loopback) or, in development only, start
// one in-process. A production server (ACS_STACK_ALLOW_DEV_DEFAULTS) only ever reuses one.
import type { EmulatorOptions } from "@acs-stack/acs-emulator";
import { hostToConnectTo } from "@acs-stack/config/loopback";
import { z } from "zod";

import { importEmulatorPackage } from "./emulator-package";

export interface EmulatorTarget {
  endpoint: string;
  connectionString: string;
  caCertPem: string;
  /** True when another process runs it; close() then leaves it alone. */
  reused: boolean;
  close: () => Promise<void>;
}

export interface EmulatorSettings {
  host: string;
  port: number;
  dataDir: string;
  inMemory: boolean;
  /** False: only reuse a running emulator (production); never load the emulator package. */
  startInProcess: boolean;
}

/** Production with the dev defaults allowed, and no emulator answering at ACS_EMULATOR_HOST:PORT. */
export class EmulatorNotRunningError extends Error {
  constructor(host: string, port: number) {
    super(
      `No ACS emulator answers at http://${hostToConnectTo(host)}:${port}/emulator/info, and a production ` +
        "server never starts one. Start it separately (node packages/acs-emulator/bin/acs-emulator.mjs " +
        `start --port ${port}) or configure a real ACS (ACS_CONNECTION_STRING, or ACS_ENDPOINT with its credential).`,
    );
    this.name = "EmulatorNotRunningError";
  }
}

const emulatorInfo = z.object({
  endpoint: z.string().url(),
  connectionString: z.string().min(1),
  caCertPem: z.string().includes("BEGIN CERTIFICATE"),
});

/** The running emulator at host:port, or undefined when nothing (or something else) answers. */
export async function probeEmulator(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<Omit<EmulatorTarget, "close" | "reused"> | undefined> {
  if (port === 0) return undefined;
  try {
    const response = await fetch(`http://${hostToConnectTo(host)}:${port}/emulator/info`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return undefined;
    const parsed = emulatorInfo.safeParse(await response.json());
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function startOrReuseEmulator(
  settings: EmulatorSettings,
  overrides: EmulatorOptions = {},
  probeTimeoutMs = 1000,
): Promise<EmulatorTarget> {
  const running = await probeEmulator(settings.host, settings.port, probeTimeoutMs);
  if (running) return { ...running, reused: true, close: () => Promise.resolve() };
  if (!settings.startInProcess) throw new EmulatorNotRunningError(settings.host, settings.port);
  const { startEmulator } = await importEmulatorPackage();
  try {
    const emulator = await startEmulator({
      host: settings.host,
      port: settings.port,
      logLevel: "error",
      ...(settings.inMemory ? { inMemory: true } : { dataDir: settings.dataDir }),
      ...overrides,
    });
    return {
      endpoint: emulator.endpoint,
      connectionString: emulator.connectionString,
      caCertPem: emulator.caCertPem,
      reused: false,
      close: () => emulator.close(),
    };
  } catch (error) {
    // Another process may have bound the port between our probe and our start: use it.
    if ((error as { code?: unknown }).code === "EADDRINUSE") {
      const winner = await waitForEmulator(settings.host, settings.port, probeTimeoutMs);
      if (winner) return { ...winner, reused: true, close: () => Promise.resolve() };
      throw new Error(
        `Port ${settings.port} on ${settings.host} is taken by something that is not an ACS emulator; set ACS_EMULATOR_PORT to a free port.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** The winner of a start-up race binds the port before it can answer `/emulator/info`: poll briefly. */
async function waitForEmulator(host: string, port: number, probeTimeoutMs: number) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const info = await probeEmulator(host, port, probeTimeoutMs);
    if (info || Date.now() > deadline) return info;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
