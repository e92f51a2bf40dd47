// A bounded load generator for the fault tests: each user calls token.issue, token.refresh and
// presence.set in turn through createCaller, paced (one call per user per `paceMs`), until stopped
// or `maxCallsPerUser` is reached. Every call is recorded with its timing and outcome.
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { ChatClient } from "@azure/communication-chat";
import { TRPCError } from "@trpc/server";
import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";

import type { RouterOutputs } from "../../src";
import type { Database } from "../../src/db";
import { acsServerRouter } from "../../src/root";
import type { AcsServices } from "../../src/services";
import type { SessionUser } from "../../src/contract";
import { createCallerFactory, createTRPCContext } from "../../src/trpc";

type Issued = RouterOutputs["acs"]["token"]["issue"];
export type Operation = "issue" | "refresh" | "presence";

export interface CallRecord {
  user: SessionUser;
  operation: Operation;
  startedAt: number;
  endedAt: number;
  /** "ok", or the tRPC error code. */
  outcome: string;
  message?: string;
  issued?: Issued;
}

const OPERATIONS: Operation[] = ["refresh", "presence", "issue"];

export function callerFor(services: AcsServices, user: SessionUser) {
  return createCallerFactory(acsServerRouter)(createTRPCContext({ user, services })).acs;
}

async function call(
  services: AcsServices,
  user: SessionUser,
  operation: Operation,
): Promise<CallRecord> {
  const api = callerFor(services, user);
  const startedAt = Date.now();
  try {
    const issued =
      operation === "issue"
        ? await api.token.issue({})
        : operation === "refresh"
          ? await api.token.refresh()
          : (await api.presence.set({ state: "online" }), undefined);
    return { user, operation, startedAt, endedAt: Date.now(), outcome: "ok", issued };
  } catch (error) {
    const endedAt = Date.now();
    if (!(error instanceof TRPCError)) throw error;
    return { user, operation, startedAt, endedAt, outcome: error.code, message: error.message };
  }
}

export interface Load {
  readonly records: CallRecord[];
  /** Stops issuing calls; resolves with every record once the calls in flight settled. */
  stop(): Promise<CallRecord[]>;
}

export function startLoad(
  services: AcsServices,
  users: readonly SessionUser[],
  { paceMs = 100, maxCallsPerUser = 600 }: { paceMs?: number; maxCallsPerUser?: number } = {},
): Load {
  const records: CallRecord[] = [];
  let stopped = false;
  const loops = users.map(async (user, index) => {
    for (let n = 0; n < maxCallsPerUser && !stopped; n++) {
      const next = Date.now() + paceMs;
      records.push(await call(services, user, OPERATIONS[(index + n) % OPERATIONS.length]!));
      // Pacing of the generator (its request rate), not a synchronisation.
      const wait = next - Date.now();
      if (wait > 0 && !stopped) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  });
  return {
    records,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return records;
    },
  };
}

/** The rows of a raw query (the Orm's execute() is typed for both drivers, so its rows are not). */
export async function rowsOf<T>(database: Database, query: SQL): Promise<T[]> {
  const result: unknown = await database.orm.execute(query);
  return (result as { rows: T[] }).rows;
}

/** Polls `check` every `everyMs` until it returns true; fails after `timeoutMs`. Resolves with the time it took. */
export async function pollUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  everyMs = 50,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The records that are not "ok" and not the expected failure code, for a readable assertion. */
export function unexpected(records: readonly CallRecord[], allowed = "SERVICE_UNAVAILABLE") {
  return records
    .filter((r) => r.outcome !== "ok" && r.outcome !== allowed)
    .map((r) => `${r.operation}: ${r.outcome} ${r.message ?? ""}`);
}

/**
 * After the fault: one ACS identity per user (every successful answer named the same one, and it is
 * the one row in the database), and a grant row for every token handed out.
 */
export async function checkIdentitiesAndGrants(
  database: Database,
  records: readonly CallRecord[],
): Promise<{ duplicatedIdentities: string[]; lostGrants: string[]; grantsChecked: number }> {
  const issued = records.filter((r) => r.issued);
  const userIds = [...new Set(issued.map((r) => r.user.id))];
  const identities = await rowsOf<{ user_id: string; acs_user_id: string }>(
    database,
    sql`select user_id, acs_user_id from acs_identities where user_id in ${userIds}`,
  );
  const grants = await rowsOf<{ user_id: string; acs_user_id: string; expires_on: Date }>(
    database,
    sql`select user_id, acs_user_id, expires_on from token_grants where user_id in ${userIds}`,
  );
  const duplicatedIdentities: string[] = [];
  for (const userId of userIds) {
    const answered = new Set(
      issued.filter((r) => r.user.id === userId).map((r) => r.issued!.acsUserId),
    );
    const rows = identities.filter((row) => row.user_id === userId).map((row) => row.acs_user_id);
    if (answered.size !== 1 || rows.length !== 1 || !answered.has(rows[0]!))
      duplicatedIdentities.push(
        `${userId}: answered ${[...answered].join(",")}, rows ${rows.join(",")}`,
      );
  }
  const recorded = new Set(
    grants.map((g) => `${g.user_id}|${g.acs_user_id}|${new Date(g.expires_on).getTime()}`),
  );
  const lostGrants = issued
    .map((r) => `${r.user.id}|${r.issued!.acsUserId}|${Date.parse(r.issued!.expiresOn)}`)
    .filter((key) => !recorded.has(key));
  return { duplicatedIdentities, lostGrants, grantsChecked: issued.length };
}

/** Whether ACS accepts `token` (a Chat call through the official SDK with it). */
export async function acsAccepts(endpoint: string, caCertPem: string, token: string) {
  const chat = new ChatClient(endpoint, new AzureCommunicationTokenCredential(token), {
    tlsOptions: { ca: caCertPem },
    retryOptions: { maxRetries: 0 },
  });
  await chat.listChatThreads({ maxPageSize: 1 }).byPage().next();
  return true;
}
