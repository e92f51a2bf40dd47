// The requests waiting for a token (getToken while none is usable, forceRefresh): each resolves
// with the next adopted token, or rejects when the credential is revoked or disposed, when its
// caller aborts, or after `maxWaitMs` (the credential keeps retrying in the background).
import type { CommunicationGetTokenOptions } from "@azure/communication-common";
import type { AccessToken } from "@azure/core-auth";
import { TokenUnavailableError, TokenWaitAbortedError } from "./errors";
import type { Timers } from "./types";

interface Waiter {
  resolve(token: AccessToken): void;
  reject(error: Error): void;
}

export class TokenWaiters {
  private readonly waiters = new Set<Waiter>();

  /**
   * @param lastError why the last fetch failed: the cause of a TokenUnavailableError
   */
  constructor(
    private readonly timers: Timers,
    private readonly maxWaitMs: number,
    private readonly lastError: () => unknown,
  ) {}

  wait(abortSignal: CommunicationGetTokenOptions["abortSignal"]): Promise<AccessToken> {
    const { timers, maxWaitMs } = this;
    return new Promise<AccessToken>((resolve, reject) => {
      if (abortSignal?.aborted) {
        reject(new TokenWaitAbortedError());
        return;
      }
      const cleanup = () => {
        this.waiters.delete(waiter);
        timers.clearTimeout(waitTimer);
        abortSignal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter = {
        resolve: (token) => {
          cleanup();
          resolve(token);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      };
      const onAbort = () => waiter.reject(new TokenWaitAbortedError());
      const waitTimer = timers.setTimeout(
        () => waiter.reject(new TokenUnavailableError(maxWaitMs, { cause: this.lastError() })),
        maxWaitMs,
      );
      abortSignal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  /** Settles every waiting request with the token or the error. */
  settle(outcome: { token: AccessToken } | { error: Error }): void {
    const pending = [...this.waiters];
    this.waiters.clear();
    for (const waiter of pending) {
      if ("token" in outcome) waiter.resolve(outcome.token);
      else waiter.reject(outcome.error);
    }
  }
}
