// Journal for --in-memory: nothing is stored, nothing is replayed.
import type { Journal } from "./journal";

export function createMemoryJournal(): Journal {
  return {
    append: () => Promise.resolve(),
    replay: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
