// Journal for --in-memory: nothing is stored, nothing is replayed, nothing to compact.
import type { Journal } from "./journal";

export function createMemoryJournal(): Journal {
  return {
    append: () => Promise.resolve(),
    replay: () => Promise.resolve(),
    enableCompaction: () => undefined,
    close: () => Promise.resolve(),
  };
}
