// The session's ChatClients, all with our pipeline policies: the main one (its realtime
// notifications and most calls), one without SDK retries for sending (the outbox retries, checking
// first), and one ChatThreadClient per thread and client (the SDK's typing throttle lives in it).
// The ChatClient class is passed in: the session loads the SDK with dynamic import.
import type { ChatClient, ChatClientOptions, ChatThreadClient } from "@azure/communication-chat";
import type { AcsTokenCredential } from "../token/types";
import { emulatorLoopbackPolicies } from "./emulator-loopback-policy";
import { tokenRefreshPolicies } from "./token-refresh-policy";

export interface ChatClientsOptions {
  readonly ChatClient: typeof ChatClient;
  readonly endpoint: string;
  readonly emulator: boolean;
  readonly credential: Pick<AcsTokenCredential, "getToken" | "forceRefresh" | "dispose">;
  readonly pipelineOptions?: ChatClientOptions;
  readonly loopbackHttp: boolean;
}

export class ChatClients {
  private client: ChatClient;
  readonly sendClient: ChatClient;
  private readonly threadClients = new WeakMap<ChatClient, Map<string, ChatThreadClient>>();

  constructor(private readonly options: ChatClientsOptions) {
    this.client = this.create();
    this.sendClient = this.create({
      retryOptions: { ...options.pipelineOptions?.retryOptions, maxRetries: 0 },
    });
  }

  current(): ChatClient {
    return this.client;
  }

  /** A new ChatClient with the session's options and policies (`overrides` win). */
  create(overrides: ChatClientOptions = {}): ChatClient {
    const { options } = this;
    return new options.ChatClient(options.endpoint, options.credential, {
      ...options.pipelineOptions,
      ...overrides,
      additionalPolicies: [
        ...(options.pipelineOptions?.additionalPolicies ?? []),
        ...tokenRefreshPolicies(options.credential),
        ...(options.loopbackHttp
          ? emulatorLoopbackPolicies({ endpoint: options.endpoint, emulator: options.emulator })
          : []),
      ],
    });
  }

  /** Replaces the main client (realtime notifications started on a fresh one). */
  adopt(client: ChatClient): void {
    this.client = client;
  }

  /** The one ChatThreadClient of `threadId` on `of` (default: the main client). */
  threadClient(threadId: string, of: ChatClient = this.client): ChatThreadClient {
    let perClient = this.threadClients.get(of);
    if (!perClient) this.threadClients.set(of, (perClient = new Map<string, ChatThreadClient>()));
    let threadClient = perClient.get(threadId);
    if (!threadClient) perClient.set(threadId, (threadClient = of.getChatThreadClient(threadId)));
    return threadClient;
  }
}
