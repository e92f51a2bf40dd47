// Chat test harness: a real emulator (in memory, HTTPS on port 0), identities and tokens from the
// official identity client, and official ChatClients trusting the emulator CA via tlsOptions — every
// response checked against the official spec.
import { ChatClient } from "@azure/communication-chat";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import type { TokenScope } from "@azure/communication-identity";
import type { EmulatorOptions } from "../../src/index";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import {
  createSpecValidationPolicy,
  type SpecValidationRecorder,
} from "../support/spec-validation";

export interface ChatUser {
  readonly id: string;
  readonly token: string;
  readonly client: ChatClient;
  readonly identifier: { communicationUserId: string };
}

export interface ChatHarness {
  readonly emulator: TestEmulator;
  readonly recorder: SpecValidationRecorder;
  user(scopes?: TokenScope[]): Promise<ChatUser>;
  /** A ChatClient for any token string (expired, tampered, …). */
  clientFor(token: string): ChatClient;
  /** Another token for an existing user. */
  tokenFor(userId: string, scopes: TokenScope[]): Promise<string>;
  close(): Promise<void>;
}

export async function startChatHarness(options: EmulatorOptions = {}): Promise<ChatHarness> {
  const emulator = await startTestEmulator(options);
  const recorder = createSpecValidationPolicy();
  const identity = emulator.identityClient({ policies: recorder.clientOption });
  const clientFor = (token: string) =>
    new ChatClient(emulator.endpoint, new AzureCommunicationTokenCredential(token), {
      tlsOptions: { ca: emulator.caCertPem },
      additionalPolicies: recorder.clientOption,
      retryOptions: { maxRetries: 0 },
    });
  return {
    emulator,
    recorder,
    clientFor,
    async user(scopes = ["chat"]) {
      const { user, token } = await identity.createUserAndToken(scopes);
      return { id: user.communicationUserId, token, client: clientFor(token), identifier: user };
    },
    async tokenFor(userId, scopes) {
      return (await identity.getToken({ communicationUserId: userId }, scopes)).token;
    },
    close: () => emulator.close(),
  };
}

/** Collects every item of an SDK paged iterator, page by page, recording page sizes. */
export async function collectPages<T>(
  pages: AsyncIterableIterator<T[]>,
): Promise<{ items: T[]; sizes: number[] }> {
  const items: T[] = [];
  const sizes: number[] = [];
  for await (const page of pages) {
    sizes.push(page.length);
    items.push(...page);
  }
  return { items, sizes };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The error an SDK call rejects with (status code and ACS error code). */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { statusCode?: number; code?: string; message: string };
    return { statusCode: e.statusCode, code: e.code, message: e.message };
  }
  throw new Error("expected the call to fail");
}
