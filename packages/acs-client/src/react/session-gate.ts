// SessionGate: where callers wait for the chat session the provider is still starting, so an action
// taken the moment the page shows it waits instead of failing. Open → waiters get the session;
// fail → waiters get the reason (the session cannot start: revoked, disposed); close → later callers
// wait for the next one. Each waiter may give up through its own AbortSignal.

/** The reason a wait ended because its AbortSignal fired (the signal's own reason when it has one). */
export class SessionWaitAbortedError extends Error {
  constructor() {
    super("Waiting for the chat session was aborted.");
    this.name = "AbortError";
  }
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

export class SessionGate<T> {
  #current: T | null = null;
  #failure: { error: Error } | null = null;
  readonly #waiters = new Set<Waiter<T>>();

  /** The session started: every waiter, and every later caller until `close`, gets it. */
  open(value: T): void {
    this.#current = value;
    this.#failure = null;
    for (const waiter of [...this.#waiters]) waiter.resolve(value);
  }

  /** The session cannot start: every waiter, and every later caller until `retry`, gets `error`. */
  fail(error: unknown): void {
    const reason = error instanceof Error ? error : new Error(String(error));
    this.#current = null;
    this.#failure = { error: reason };
    for (const waiter of [...this.#waiters]) waiter.reject(reason);
  }

  /** A new attempt begins: later callers wait for it instead of getting the old failure. */
  retry(): void {
    this.#failure = null;
  }

  /** The session is gone (closed, provider unmounted): later callers wait for the next one. */
  close(): void {
    this.#current = null;
  }

  /** Resolves with the session as soon as there is one; rejects if it cannot start or `signal` fires. */
  wait(signal?: AbortSignal): Promise<T> {
    if (this.#current !== null) return Promise.resolve(this.#current);
    if (this.#failure) return Promise.reject(this.#failure.error);
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => waiter.reject(abortReason(signal!));
      const settle = () => {
        this.#waiters.delete(waiter);
        signal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter<T> = {
        resolve: (value) => {
          settle();
          resolve(value);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new SessionWaitAbortedError();
}
