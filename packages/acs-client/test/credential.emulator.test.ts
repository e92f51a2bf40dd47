// The token credential against the real procedures (acs.token.issue / refresh / revoke on PGlite)
// and the real emulator, through the official ChatClient over HTTPS.
import { ChatClient } from "@azure/communication-chat";
import type { RouterOutputs } from "@acs-stack/acs-server";
import { afterAll, afterEach, beforeAll, expect, expectTypeOf, it, vi } from "vitest";
import { createAcsTokenCredential, TokenRevokedError, tokenRefreshPolicies } from "../src";
import type { AcsTokenCredential, CredentialStatus, FetchToken, TokenResponse } from "../src";
import { stubBrowserGlobals } from "./helpers/browser";
import type { TestStack } from "./helpers/stack";
import { fetchTokenFor, startStack } from "./helpers/stack";

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function chatClient(credential: AcsTokenCredential): ChatClient {
  return new ChatClient(stack.emulator.endpoint, credential, {
    tlsOptions: { ca: stack.emulator.caCertPem },
    retryOptions: { maxRetries: 0 },
    additionalPolicies: tokenRefreshPolicies(credential),
  });
}

async function listThreads(client: ChatClient): Promise<number> {
  let n = 0;
  for await (const _ of client.listChatThreads()) n += 1;
  return n;
}

it("the procedures' output is what the credential consumes", () => {
  expectTypeOf<RouterOutputs["acs"]["token"]["issue"]>().toExtend<TokenResponse>();
  expectTypeOf<RouterOutputs["acs"]["token"]["refresh"]>().toExtend<TokenResponse>();
});

it("20 concurrent getToken calls make one acs.token.issue call, and the token works", async () => {
  const { caller } = await stack.createUser("twenty");
  const counter = { initial: 0, refresh: 0, forced: 0 };
  const credential = createAcsTokenCredential({
    fetchToken: fetchTokenFor(caller, counter),
    crossTab: false,
  });
  const tokens = await Promise.all(Array.from({ length: 20 }, () => credential.getToken()));
  expect(counter).toEqual({ initial: 1, refresh: 0, forced: 0 });
  expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
  expect(credential.getSnapshot()).toMatchObject({
    status: "valid",
    scopes: ["chat"],
    emulator: true,
  });
  await expect(listThreads(chatClient(credential))).resolves.toBe(0);
  credential.dispose();
});

it("a refresher that fails twice then succeeds never fails a request while the old token is valid", async () => {
  const { caller } = await stack.createUser("flaky");
  const real = fetchTokenFor(caller);
  let calls = 0;
  let recovered!: () => void;
  const recoveredAfterFailures = new Promise<void>((resolve) => (recovered = resolve));
  const fetchToken: FetchToken = async (reason, opts) => {
    calls += 1;
    if (calls === 2 || calls === 3) throw new Error(`token service down (call ${calls})`);
    const response = await real(reason, opts);
    if (calls === 4) recovered();
    return response;
  };
  const statuses = new Set<CredentialStatus>();
  const credential = createAcsTokenCredential({
    fetchToken,
    crossTab: false,
    // Refresh almost at once (0.01 % of 60 min ≈ 360 ms) so the failures happen during the test.
    refreshFraction: [0.0001, 0.0001],
    backoff: { initialMs: 20, maxMs: 100 },
  });
  credential.subscribe((s) => statuses.add(s.status));
  const client = chatClient(credential);
  await credential.getToken();
  const results: (number | Error)[] = [];
  let done = false;
  void recoveredAfterFailures.then(() => (done = true));
  // Keep chat requests flowing until the refresher has failed twice and recovered.
  while (!done) results.push(await listThreads(client).catch((e: unknown) => e as Error));
  expect(results.filter((r) => r instanceof Error)).toEqual([]);
  expect(results.length).toBeGreaterThan(0);
  expect(statuses.has("expiring")).toBe(true);
  // The recovered token is adopted (JWTs issued within the same second can be byte-identical,
  // so count successful fetches rather than compare strings).
  await new Promise<void>((resolve) => {
    const check = () => credential.getSnapshot().fetchCount >= 2 && (stop(), resolve());
    const stop = credential.subscribe(check);
    check();
  });
  expect(credential.getSnapshot().lastError).toBeUndefined();
  expect((await credential.getToken()).expiresOnTimestamp).toBeGreaterThan(
    Date.now() + 59 * 60_000,
  );
  credential.dispose();
});

it("a 401 from ACS forces one refresh and the call is retried once", async () => {
  const { caller } = await stack.createUser("stale");
  const counter = { initial: 0, refresh: 0, forced: 0 };
  const credential = createAcsTokenCredential({
    fetchToken: fetchTokenFor(caller, counter),
    crossTab: false,
  });
  const client = chatClient(credential);
  await listThreads(client);
  // The credential fetched a token above, which created the identity.
  const me = (await caller.acs.identity.me())!;
  // Revoke at ACS only (the app's grant stays valid): the held token now gets 401s.
  await stack.services.gateway.revokeTokens(me.acsUserId);
  await expect(listThreads(client)).resolves.toBe(0);
  expect(counter).toEqual({ initial: 1, refresh: 0, forced: 1 });
  await expect(listThreads(client)).resolves.toBe(0);
  expect(counter.forced).toBe(1);
  credential.dispose();
});

it("after acs.token.revoke the credential is revoked: typed errors, no retries, no unhandled rejection", async () => {
  const { caller } = await stack.createUser("revoked");
  const counter = { initial: 0, refresh: 0, forced: 0 };
  const credential = createAcsTokenCredential({
    fetchToken: fetchTokenFor(caller, counter),
    crossTab: false,
  });
  const client = chatClient(credential);
  await listThreads(client);
  await caller.acs.token.revoke();
  // ACS answers 401; the forced refresh is refused by the server (grant revoked).
  await expect(listThreads(client)).rejects.toMatchObject({ statusCode: 401 });
  expect(credential.getSnapshot().status).toBe("revoked");
  await expect(credential.getToken()).rejects.toBeInstanceOf(TokenRevokedError);
  await expect(listThreads(client)).rejects.toBeInstanceOf(TokenRevokedError);
  expect(counter).toEqual({ initial: 1, refresh: 0, forced: 1 });
  credential.dispose();
});

it("the token lives in memory only: after issue and refresh no Web Storage holds any of it", async () => {
  // One browser tab as detectBrowserCrossTab sees it (window, Web Locks, BroadcastChannel, storage),
  // cross-tab on as in apps/web: a per-user name.
  const browser = stubBrowserGlobals();
  const { caller, user } = await stack.createUser("memory");
  const counter = { initial: 0, refresh: 0, forced: 0 };
  const credential = createAcsTokenCredential({
    fetchToken: fetchTokenFor(caller, counter),
    crossTabName: `acs-token:${user.id}`,
  });
  const issued = await credential.getToken();
  await expect(listThreads(chatClient(credential))).resolves.toBe(0);
  const refreshed = await credential.forceRefresh(issued.token);
  expect(counter).toEqual({ initial: 1, refresh: 0, forced: 1 });
  for (const token of [issued.token, refreshed.token]) {
    expect(browser.writes.filter((written) => written.includes(token))).toEqual([]);
  }
  expect([...browser.localStorage.map.values(), ...browser.sessionStorage.map.values()]).toEqual(
    [],
  );
  credential.dispose();
});
