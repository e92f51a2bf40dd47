// Runs async work one at a time per key, in arrival order, inside this process.

export interface KeyedMutex {
  /** Runs `fn` once every earlier holder of `key` has finished (fulfilled or not). */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export function createKeyedMutex(): KeyedMutex {
  // The tail of each key's queue; removed when the last holder finishes, so idle keys cost nothing.
  const tails = new Map<string, Promise<void>>();
  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(fn);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
