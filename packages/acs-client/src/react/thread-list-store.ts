// The thread list of one chat session, shared by every component that shows it: one read at a time,
// read again when a thread or its participants change (a change during a read reads once more after
// it). Kept per session in a WeakMap, so it lives exactly as long as the session.
import type { ChatSession } from "../chat/session";
import type { ChatThreadSummary } from "../chat/types";

export interface ThreadListState {
  readonly threads: readonly ChatThreadSummary[];
  /** True until the first read has answered. */
  readonly isLoading: boolean;
  /** Why the latest read failed (cleared by the next successful one). */
  readonly error: unknown;
}

export interface ThreadListStore {
  readonly subscribe: (listener: () => void) => () => void;
  readonly getSnapshot: () => ThreadListState;
  /** Reads the list again (joins a read under way by queueing one more after it). */
  readonly refresh: () => void;
}

const stores = new WeakMap<ChatSession, ThreadListStore>();

export function threadListStoreFor(session: ChatSession): ThreadListStore {
  let store = stores.get(session);
  if (!store) {
    store = createThreadListStore(session);
    stores.set(session, store);
  }
  return store;
}

function createThreadListStore(session: ChatSession): ThreadListStore {
  let state: ThreadListState = { threads: [], isLoading: true, error: null };
  const listeners = new Set<() => void>();
  let reading = false;
  let readAgain = false;
  let started = false;

  function publish(next: ThreadListState) {
    state = next;
    for (const listener of listeners) listener();
  }

  async function read() {
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    try {
      do {
        readAgain = false;
        try {
          publish({ threads: await session.listThreads(), isLoading: false, error: null });
        } catch (error) {
          publish({ ...state, isLoading: false, error });
        }
      } while (readAgain);
    } finally {
      reading = false;
    }
  }

  function start() {
    started = true;
    session.onEvent((event) => {
      if (
        event.kind.startsWith("thread") ||
        event.kind === "participantsAdded" ||
        event.kind === "participantsRemoved"
      ) {
        void read();
      }
    });
    void read();
  }

  return {
    subscribe: (listener) => {
      listeners.add(listener);
      if (!started) start();
      return () => listeners.delete(listener);
    },
    getSnapshot: () => state,
    refresh: () => void read(),
  };
}
