// What /api/health checks for each container probe. Liveness needs nothing but this process (a
// restart cannot fix a database or ACS outage); startup waits for the database (opened, migrated);
// readiness checks the database and that the ACS control plane answers. Each check is bounded by a
// timeout, and the answer names only the checks and their outcome: no endpoint, error or secret.
import http from "node:http";
import https from "node:https";
import type { Database } from "@acs-stack/acs-server";

export const HEALTH_PROBES = ["live", "ready", "startup"] as const;
export type HealthProbe = (typeof HEALTH_PROBES)[number];
export type CheckOutcome = "ok" | "failed" | "timeout";

/** Per check; the probes in infra/main.bicep allow 5 s per request. */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

export interface HealthDependencies {
  database: () => Promise<Database>;
  /** Where the Identity API lives, and the emulator's CA when it is the local emulator. */
  controlPlane: () => Promise<{ endpoint: string; caCertPem?: string }>;
  timeoutMs?: number;
}

export interface HealthAnswer {
  status: 200 | 400 | 503;
  body: {
    ok: boolean;
    probe?: HealthProbe;
    checks?: Record<string, CheckOutcome>;
    error?: string;
  };
}

/** The probe a request names: `/api/health/<probe>`; `/api/health` alone is startup (what it always checked). */
export function parseProbe(segment: string | undefined): HealthProbe | undefined {
  if (segment === undefined) return "startup";
  return HEALTH_PROBES.find((probe) => probe === segment);
}

async function bounded(check: (signal: AbortSignal) => Promise<unknown>, timeoutMs: number) {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve("timeout");
    }, timeoutMs);
  });
  const run = check(abort.signal).then(
    (): CheckOutcome => "ok",
    (): CheckOutcome => "failed",
  );
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function databaseAnswers(deps: HealthDependencies): Promise<void> {
  const database = await deps.database();
  await database.ping();
}

/**
 * Any HTTP answer below 500 from the Identity API (unauthenticated: 401) means ACS is reachable over
 * DNS, TCP and TLS. Nothing is created or signed: the probe holds no credential.
 */
async function controlPlaneAnswers(deps: HealthDependencies, signal: AbortSignal): Promise<void> {
  const { endpoint, caCertPem } = await deps.controlPlane();
  const url = new URL("identities?api-version=2023-10-01", endpoint);
  const client = url.protocol === "http:" ? http : https;
  await new Promise<void>((resolve, reject) => {
    const request = client.request(url, { method: "GET", ca: caCertPem, signal }, (response) => {
      response.resume();
      const status = response.statusCode ?? 500;
      if (status < 500) resolve();
      else reject(new Error(`ACS answered ${status}`));
    });
    request.on("error", reject);
    request.end();
  });
}

export async function checkHealth(
  probe: HealthProbe | undefined,
  deps: HealthDependencies,
): Promise<HealthAnswer> {
  if (!probe) {
    return {
      status: 400,
      body: {
        ok: false,
        error: `probe must be one of ${HEALTH_PROBES.join(", ")}.`,
      },
    };
  }
  if (probe === "live") return { status: 200, body: { ok: true, probe } };
  const timeoutMs = deps.timeoutMs ?? HEALTH_CHECK_TIMEOUT_MS;
  const checks: Record<string, CheckOutcome> = {};
  const pending: Array<Promise<void>> = [
    bounded(() => databaseAnswers(deps), timeoutMs).then(
      (outcome) => void (checks.database = outcome),
    ),
  ];
  if (probe === "ready") {
    pending.push(
      bounded((signal) => controlPlaneAnswers(deps, signal), timeoutMs).then(
        (outcome) => void (checks.acs = outcome),
      ),
    );
  }
  await Promise.all(pending);
  const ok = Object.values(checks).every((outcome) => outcome === "ok");
  return { status: ok ? 200 : 503, body: { ok, probe, checks } };
}
