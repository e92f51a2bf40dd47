// Opening a thread for the hooks: one openThread per (session, thread) however many components and
// actions ask, retried with backoff after a transient failure, and remembered once open so a page
// that comes back to the thread has it at its first render.
import { shouldRetryOpenThread } from "../chat/permanent-error";
import type { ChatSession } from "../chat/session";
import type { ChatThreadHandle } from "../chat/thread";
import { backoffDelay } from "../token/backoff";

const OPEN_RETRY_BACKOFF = { initialMs: 1_000, maxMs: 8_000 };

interface SessionThreads {
  readonly opening: Map<string, Promise<ChatThreadHandle>>;
  readonly open: Map<string, ChatThreadHandle>;
}

const bySession = new WeakMap<ChatSession, SessionThreads>();

function threadsOf(session: ChatSession): SessionThreads {
  let threads = bySession.get(session);
  if (!threads) {
    threads = { opening: new Map(), open: new Map() };
    bySession.set(session, threads);
  }
  return threads;
}

/** The thread's handle if it has been opened in this session, else undefined. */
export function openedThread(session: ChatSession, threadId: string): ChatThreadHandle | undefined {
  return threadsOf(session).open.get(threadId);
}

/** Opens the thread (or joins the opening under way); a failure is forgotten so the next call tries again. */
export function openThreadOnce(session: ChatSession, threadId: string): Promise<ChatThreadHandle> {
  const threads = threadsOf(session);
  const open = threads.open.get(threadId);
  if (open) return Promise.resolve(open);
  let opening = threads.opening.get(threadId);
  if (!opening) {
    opening = openWithRetry(session, threadId).then(
      (handle) => {
        threads.open.set(threadId, handle);
        threads.opening.delete(threadId);
        return handle;
      },
      (error: unknown) => {
        threads.opening.delete(threadId);
        throw error;
      },
    );
    threads.opening.set(threadId, opening);
  }
  return opening;
}

async function openWithRetry(session: ChatSession, threadId: string): Promise<ChatThreadHandle> {
  for (let failures = 0; ;) {
    try {
      return await session.openThread(threadId);
    } catch (error) {
      if (!shouldRetryOpenThread(failures, error)) throw error;
      failures += 1;
      const delay = backoffDelay(failures, OPEN_RETRY_BACKOFF, Math.random);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
