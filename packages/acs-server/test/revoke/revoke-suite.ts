// "Revoke really revokes": acs.token.issue is called every ~12 ms while one acs.token.revoke runs in the
// middle. Once the revoke answered, ACS (ChatClient → 401) refuses every token whose issue completed
// before it answered or whose serverTime is not after its revokedAt, and, after "sign out everywhere",
// every token of an issue that was in flight. Through createCaller against the real emulator (official
// SDKs) and a real database; with two instances, issues go to one and the revoke to the other.
import { ChatClient } from "@azure/communication-chat";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RouterOutputs } from "../../src";
import type { Database } from "../../src/db";
import { readServerEnv } from "../../src/env";
import { acsServerRouter } from "../../src/root";
import type { AcsServices } from "../../src/services";
import { createAcsServices } from "../../src/services";
import type { SessionUser } from "../../src/contract";
import { createCallerFactory, createTRPCContext } from "../../src/trpc";
import type { TestAcs } from "../helpers/emulator";
import { startTestAcs, statusOf } from "../helpers/emulator";
import type { HoldingGateway } from "../helpers/held-revoke-gateway";
import { holdingGateway } from "../helpers/held-revoke-gateway";
import { createTestUser } from "../helpers/users";

type Issued = RouterOutputs["acs"]["token"]["issue"];

const ROUNDS = 20;
const ISSUES_PER_ROUND = 8;
/** The revoke starts right after this many issues were started. */
const REVOKE_AFTER = 4;
/** The attack's cadence (the reported reproduction issued every 12 ms). Shapes the load; nothing waits on it. */
const ISSUE_INTERVAL_MS = 12;
/** 20 rounds of 8 issues and their ACS checks take several seconds; more on a loaded machine. */
const RACE_TIMEOUT_MS = 180_000;

export interface RevokeBackend {
  /** The database of each server instance: one entry = one instance; two = issue on the first, revoke on the second. */
  databases: Database[];
  close(): Promise<void>;
}

const createCaller = createCallerFactory(acsServerRouter);

function on(
  services: AcsServices,
  user: SessionUser | null,
  sessionActive?: () => Promise<boolean>,
) {
  return createCaller(createTRPCContext({ user, services, sessionActive })).acs;
}

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected the procedure to fail, but it succeeded");
}

export function describeRevokeSuite(name: string, open: () => Promise<RevokeBackend>) {
  describe(`revoke racing issue (${name})`, () => {
    let acs: TestAcs;
    let backend: RevokeBackend;
    let revokerGateway: HoldingGateway;
    let issuer: AcsServices;
    let revoker: AcsServices;

    beforeAll(async () => {
      [acs, backend] = await Promise.all([startTestAcs(), open()]);
      revokerGateway = holdingGateway(acs.gateway);
      const env = readServerEnv({});
      issuer = await createAcsServices({
        env,
        database: backend.databases[0]!,
        gateway: acs.gateway,
      });
      revoker =
        backend.databases.length === 1
          ? await createAcsServices({
              env,
              database: backend.databases[0]!,
              gateway: revokerGateway,
            })
          : await createAcsServices({
              env,
              database: backend.databases[1]!,
              gateway: revokerGateway,
            });
    });

    afterAll(async () => {
      await Promise.all([issuer?.close(), revoker?.close()]);
      await backend?.close();
      await acs?.close();
    });

    function chatStatus(token: string): Promise<number | "ok"> {
      const chat = new ChatClient(
        acs.emulator.endpoint,
        new AzureCommunicationTokenCredential(token),
        {
          tlsOptions: { ca: acs.emulator.caCertPem },
          retryOptions: { maxRetries: 0 },
        },
      );
      return statusOf(chat.listChatThreads({ maxPageSize: 1 }).byPage().next());
    }

    interface Outcome {
      issued?: Issued;
      completedBeforeRevokeAnswered: boolean;
    }

    /**
     * One round: an issue every ISSUE_INTERVAL_MS, one revoke in the middle. With `signOutEverywhere`
     * the sessions end just before the revoke (as the app's "Sign out everywhere" does): issues sent
     * after that are refused by the host's session lookup (no user), those in flight re-check it.
     */
    async function raceOnce(user: SessionUser, signOutEverywhere: boolean) {
      let sessionLive = true;
      let revokeAnswered = false;
      let revoke: Promise<{ revokedAt: string }> | undefined;
      const issues: Array<Promise<Outcome>> = [];
      for (let i = 0; i < ISSUES_PER_ROUND; i++) {
        if (i === REVOKE_AFTER) {
          if (signOutEverywhere) sessionLive = false;
          revoke = on(revoker, user).token.revoke();
          void revoke.then(() => (revokeAnswered = true));
        }
        const caller = on(issuer, sessionLive ? user : null, () => Promise.resolve(sessionLive));
        issues.push(
          caller.token.issue({ scopes: ["chat"] }).then(
            (issued) => ({ issued, completedBeforeRevokeAnswered: !revokeAnswered }),
            () => ({ completedBeforeRevokeAnswered: !revokeAnswered }),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, ISSUE_INTERVAL_MS));
      }
      const { revokedAt } = await revoke!;
      const outcomes = await Promise.all(issues);
      return { revokedAt: Date.parse(revokedAt), outcomes };
    }

    it(
      `after "sign out everywhere", no token of an issue in flight works (${ROUNDS} rounds, an issue every ${ISSUE_INTERVAL_MS} ms)`,
      async () => {
        const survivors: string[] = [];
        let handedOut = 0;
        for (let round = 0; round < ROUNDS; round++) {
          const user = await createTestUser(issuer.database, `Leaver ${round}`);
          const { outcomes } = await raceOnce(user, true);
          for (const { issued } of outcomes) {
            if (!issued) continue;
            handedOut++;
            if ((await chatStatus(issued.token)) !== 401)
              survivors.push(`round ${round}: issued at ${issued.serverTime}`);
          }
        }
        expect(survivors).toEqual([]);
        // The race really happened: issues sent before the sign-out got tokens (which the revoke killed).
        expect(handedOut).toBeGreaterThan(0);
      },
      RACE_TIMEOUT_MS,
    );

    it(
      `after a revoke, no token issued before it works; issues after it do (${ROUNDS} rounds)`,
      async () => {
        const survivors: string[] = [];
        let before = 0;
        let after = 0;
        for (let round = 0; round < ROUNDS; round++) {
          const user = await createTestUser(issuer.database, `Revoker ${round}`);
          const { revokedAt, outcomes } = await raceOnce(user, false);
          for (const { issued, completedBeforeRevokeAnswered } of outcomes) {
            if (!issued) continue;
            const status = await chatStatus(issued.token);
            if (completedBeforeRevokeAnswered || Date.parse(issued.serverTime) <= revokedAt) {
              before++;
              if (status !== 401) survivors.push(`round ${round}: issued at ${issued.serverTime}`);
            } else {
              // The session is still live: an issue after the revoke (a new sign-in) works.
              after++;
              expect(status).toBe("ok");
            }
          }
        }
        expect(survivors).toEqual([]);
        expect(before).toBeGreaterThan(0);
        expect(after).toBeGreaterThan(0);
      },
      RACE_TIMEOUT_MS,
    );

    it("refuses an issue that waited behind a revoke whose session was ended (sign out everywhere)", async () => {
      const user = await createTestUser(issuer.database, "Everywhere");
      const before = await on(issuer, user).token.issue({ scopes: ["chat"] });
      let sessionLive = true;
      const held = revokerGateway.holdNextRevoke();
      const revoke = on(revoker, user).token.revoke();
      await held.revokedAtAcs;
      // The issue arrives while its session is still live, and waits for the revoke to finish.
      const issue = on(issuer, user, () => Promise.resolve(sessionLive)).token.issue({
        scopes: ["chat"],
      });
      sessionLive = false;
      held.release();
      await revoke;
      const refused = await codeOf(issue);
      expect(refused.code).toBe("UNAUTHORIZED");
      expect(refused.message).toMatch(/session has ended/);
      expect(await chatStatus(before.token)).toBe(401);
    });

    it("refuses a refresh that waited behind a revoke: it re-reads the grant, now revoked", async () => {
      const user = await createTestUser(issuer.database, "Refresher");
      await on(issuer, user).token.issue({ scopes: ["chat"] });
      const held = revokerGateway.holdNextRevoke();
      const revoke = on(revoker, user).token.revoke();
      await held.revokedAtAcs;
      const refresh = on(issuer, user).token.refresh();
      held.release();
      await revoke;
      const refused = await codeOf(refresh);
      expect(refused.code).toBe("UNAUTHORIZED");
      expect(refused.message).toMatch(/revoked/);
    });
  });
}
