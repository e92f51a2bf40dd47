// Chat sessions in Node against the test stack's emulator: its event stream over HTTPS (trusting
// the emulator's CA), no SDK retries, fast polling.
import { createAcsTokenCredential, createChatSession } from "../../src";
import type { Caller, TestStack } from "./stack";
import { fetchTokenFor, httpsFetchTrusting } from "./stack";

export function nodeSessionOptions(stack: TestStack) {
  const ca = stack.emulator.caCertPem;
  return {
    loopbackHttp: false,
    events: "emulator-events" as const,
    fetch: httpsFetchTrusting(ca),
    pipelineOptions: { tlsOptions: { ca }, retryOptions: { maxRetries: 0 } },
    pollIntervalMs: 200,
  };
}

/** A session of its own (no React) for the other person in a test. */
export async function plainSession(stack: TestStack, caller: Caller, displayName: string) {
  const credential = createAcsTokenCredential({
    fetchToken: fetchTokenFor(caller),
    crossTab: false,
  });
  await credential.getToken();
  const snap = credential.getSnapshot();
  const session = await createChatSession({
    credential,
    endpoint: snap.endpoint!,
    emulator: true,
    acsUserId: snap.acsUserId!,
    displayName,
    ...nodeSessionOptions(stack),
  });
  return {
    session,
    async close() {
      await session.close();
      credential.dispose();
    },
  };
}
