// When a chat session is closed, every loop and outbox retry stops: one abort signal, and sleeps
// that end early at close instead of holding the session open until their timers fire.

export class SessionLifetime {
  private readonly closer = new AbortController();
  private readonly sleepers = new Set<() => void>();

  get signal(): AbortSignal {
    return this.closer.signal;
  }

  get closed(): boolean {
    return this.closer.signal.aborted;
  }

  /** Resolves after `ms`, or at once when the session closes (now or later). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  /** Aborts the signal and wakes every sleeper; false when already closed. */
  close(): boolean {
    if (this.closed) return false;
    this.closer.abort();
    for (const wake of [...this.sleepers]) wake();
    return true;
  }
}
