"use client";
// The live thread list as hooks: one ChatInbox per chat session, shared by every component that
// uses it (thread list, tab title, notifications) and disposed when the last of them unmounts.
// The inbox is loaded with import(), like the session it needs: it stays out of the initial JS.
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { ChatInbox, InboxMessage, InboxState } from "../chat/inbox";
import type { ChatSession } from "../chat/session";
import { useAcsContext } from "./provider";

const SERVER_STATE: InboxState = {
  threads: [],
  totalUnread: 0,
  totalUnreadMore: false,
  ready: false,
  error: undefined,
};

const noopSubscribe = () => () => undefined;

const shared = new WeakMap<ChatSession, { inbox: Promise<ChatInbox>; users: number }>();

function acquireInbox(session: ChatSession): Promise<ChatInbox> {
  let slot = shared.get(session);
  if (!slot) {
    const inbox = import("../chat/inbox").then(({ ChatInbox: Inbox }) => {
      const created = new Inbox(session);
      created.start();
      return created;
    });
    shared.set(session, (slot = { inbox, users: 0 }));
  }
  slot.users += 1;
  return slot.inbox;
}

function releaseInbox(session: ChatSession): void {
  const slot = shared.get(session);
  if (!slot) return;
  slot.users -= 1;
  if (slot.users > 0) return;
  shared.delete(session);
  slot.inbox.then(
    (inbox) => inbox.dispose(),
    () => undefined,
  );
}

/** The session's inbox while the component is mounted (null before the session starts). */
function useSharedInbox(): ChatInbox | null {
  const { session } = useAcsContext();
  const [inbox, setInbox] = useState<ChatInbox | null>(null);
  useEffect(() => {
    if (!session) return;
    let mounted = true;
    // A failed chunk load leaves the list loading until every user unmounts (then it is retried).
    acquireInbox(session).then(
      (inbox) => mounted && setInbox(inbox),
      () => undefined,
    );
    return () => {
      mounted = false;
      setInbox(null);
      releaseInbox(session);
    };
  }, [session]);
  return inbox;
}

export type UseInboxResult = InboxState;

/** The person's threads (newest activity first) with last message and unread count, kept live. */
export function useInbox(): UseInboxResult {
  const inbox = useSharedInbox();
  return useSyncExternalStore(
    inbox ? inbox.subscribe : noopSubscribe,
    inbox ? inbox.getState : () => SERVER_STATE,
    () => SERVER_STATE,
  );
}

/**
 * Calls `listener` for each new message from someone else (live or found by a re-sync; never
 * history). The latest listener is used without resubscribing.
 */
export function useInboxNewMessages(
  listener: (threadId: string, message: InboxMessage) => void,
): void {
  const inbox = useSharedInbox();
  const ref = useRef(listener);
  useEffect(() => {
    ref.current = listener;
  });
  useEffect(() => {
    if (!inbox) return;
    return inbox.onNewMessage((threadId, message) => ref.current(threadId, message));
  }, [inbox]);
}
