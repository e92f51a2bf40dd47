"use client";
// One chat thread: header, messages, typing line, Undo for a delete, and the composer. The parts
// live beside it (thread-header, message-list, composer, thread-open-failure, use-held-delete);
// this file wires them to the open thread (useChat) and keeps the page-wide concerns.
import { useAcsToken, useChat, useInbox, useThreads } from "@acs-stack/acs-client/react";
import { useEffect, useRef, useState } from "react";
import { registerUnsentSource } from "~/lib/acs-session";
import { describeError } from "~/lib/errors";
import { ConnectionNotice } from "../../../_components/connection-notice";
import { Composer } from "./composer";
import { MessageList } from "./message-list";
import { ThreadHeader } from "./thread-header";
import { ThreadOpenFailure, isNoAccess } from "./thread-open-failure";
import { useHeldDelete } from "./use-held-delete";
import "./thread.css";

type Message = ReturnType<typeof useChat>["messages"][number];

const isShown = (m: Message) => m.type === "text" || m.type === "html" || m.type === undefined;

export function ThreadView({ threadId }: { threadId: string }) {
  const chat = useChat(threadId);
  const { thread } = chat;
  // The inbox learns a new thread from its creation event; the thread list query can still hold a
  // page fetched before the thread existed (a slow start), so it is only the fallback.
  const inboxTopic = useInbox().threads.find((t) => t.id === threadId)?.topic;
  const listTopic = useThreads().threads.find((t) => t.id === threadId)?.topic;
  const topic = inboxTopic || listTopic;
  const token = useAcsToken();
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const undoRef = useRef<HTMLButtonElement>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const heldDelete = useHeldDelete();
  const messagesRef = useRef(chat.messages);
  messagesRef.current = chat.messages;

  // Messages still in the outbox are handed to the sign-in page if the session is revoked.
  useEffect(
    () =>
      registerUnsentSource(() =>
        messagesRef.current
          .filter((m) => m.mine && m.status !== "sent" && !m.deletedOn)
          .map((m) => m.content),
      ),
    [],
  );

  // Read receipts: mark the newest message from someone else as read while the page is visible
  // (the thread list's unread counts are built on them), and again when the tab comes back.
  const newestOthersId = chat.messages.findLast(
    (m) => !m.mine && m.status === "sent" && !m.id.startsWith("local:"),
  )?.id;
  useEffect(() => {
    if (!thread || !newestOthersId) return;
    const markRead = () => {
      if (document.visibilityState !== "visible") return;
      thread.markRead(newestOthersId).catch(() => undefined);
    };
    markRead();
    document.addEventListener("visibilitychange", markRead);
    return () => document.removeEventListener("visibilitychange", markRead);
  }, [thread, newestOthersId]);

  async function run(action: () => unknown) {
    setActionError(null);
    try {
      await action();
    } catch (e) {
      setActionError(describeError(e));
    }
  }

  function deleteLater(messageId: string) {
    if (!thread) return;
    // The thread handle outlives this page, so a delete flushed on unmount still goes out.
    heldDelete.hold(messageId, () => void run(() => thread.delete(messageId)));
    // The message (and the button that had focus) is gone: the way back is Undo.
    requestAnimationFrame(() => undoRef.current?.focus());
  }

  function undo() {
    if (heldDelete.undo()) composerRef.current?.focus();
  }

  const visible = chat.messages.filter((m) => isShown(m) && m.id !== heldDelete.heldMessageId);
  // Names from the thread's participant list (acs-client resolves them), never the sender's choice.
  const typing = chat.typingUsers.map((user) => user.name);
  const noAccess = chat.error != null && isNoAccess(chat.error);

  return (
    <div className="thread chat-thread-column">
      <ThreadHeader
        topic={topic}
        connection={chat.connection}
        participants={
          noAccess
            ? null
            : {
                participants: chat.participants,
                // The sheet can be used while the thread still opens: the change waits for it.
                add: (people) => run(async () => (await chat.whenOpen()).addParticipants(people)),
                remove: async (acsUserId) => (await chat.whenOpen()).removeParticipant(acsUserId),
                selfAcsUserId: token.acsUserId,
              }
        }
      />
      <ConnectionNotice status={token.status} error={token.lastError} />
      {chat.error != null && <ThreadOpenFailure error={chat.error} />}
      <MessageList
        messages={visible}
        open={chat.status === "open"}
        failed={chat.error != null}
        hasOlder={chat.hasOlder}
        loadOlder={() => void run(() => thread?.loadOlder())}
        actions={{
          retry: (clientMessageId) => void run(() => thread?.retry(clientMessageId)),
          edit: (messageId, content) => void run(() => thread?.edit(messageId, content)),
          delete: deleteLater,
        }}
      />
      <p aria-live="polite" className="thread-typing muted" data-testid="typing">
        {typing.length > 0
          ? `${typing.join(", ")} ${typing.length === 1 ? "is" : "are"} typing…`
          : ""}
      </p>
      <div role="status" className="thread-undo">
        {heldDelete.heldMessageId !== undefined && (
          <>
            <span>Message deleted.</span>
            <button ref={undoRef} type="button" className="secondary" onClick={undo}>
              Undo
            </button>
          </>
        )}
      </div>
      {actionError && (
        <p role="alert" className="error">
          {actionError}
        </p>
      )}
      {!noAccess && (
        <Composer
          threadId={threadId}
          acsUserId={token.acsUserId}
          thread={thread}
          ref={composerRef}
        />
      )}
    </div>
  );
}
