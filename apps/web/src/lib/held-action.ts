// An action held back for a few seconds so it can be undone: nothing is sent until the time is up.
// `flush` sends it at once (the person leaves the page); `undo` drops it. Each runs at most once.

export interface HeldAction {
  undo(): boolean;
  flush(): void;
  readonly settled: boolean;
}

export function holdAction(run: () => void, delayMs: number): HeldAction {
  let settled = false;
  const timer = setTimeout(() => fire(), delayMs);
  function fire() {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    run();
  }
  return {
    undo() {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      return true;
    },
    flush: fire,
    get settled() {
      return settled;
    },
  };
}
