"use client";
import { useAcsToken, useChat, useInbox, useThreads } from "@acs-stack/acs-client/react";
import Link from "next/link";
import { useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { registerUnsentSource } from "~/lib/acs-session";
import { fullDateTime, shortTime } from "~/lib/day-label";
import { browserDraftStorage, draftKey, loadDraft, saveDraft } from "~/lib/drafts";
import { describeError } from "~/lib/errors";
import { holdAction, type HeldAction } from "~/lib/held-action";
import { messageRows } from "~/lib/message-groups";
import { ConnectionNotice } from "../../../_components/connection-notice";
import { Avatar } from "./avatar";
import { MessageText } from "./message-text";
import { ParticipantsPanel } from "./participants-panel";
import "./thread.css";

const CONNECTION_WORDS = {
  live: "Live",
  polling: "Polling (live updates unavailable)",
  reconnecting: "Reconnecting…",
  offline: "Offline: messages wait and send when you are back",
} as const;

/**
 * Delete acts at once and offers "Undo" for this long. ACS cannot undelete a message, so nothing
 * is sent meanwhile: the message is only hidden here, and the delete call goes out when the time is
 * up, when another message is deleted, or at once when the person leaves the thread (unmount) or
 * the page (pagehide). Until then nobody else sees anything change.
 */
const UNDO_MS = 5000;

type Chat = ReturnType<typeof useChat>;
type Message = Chat["messages"][number];

function deliveryState(message: Message): string {
  if (message.status === "pending") return "Sending…";
  if (message.status === "failed") return "Not sent";
  return message.readBy.length > 0 ? "Read" : "Sent";
}

/** ACS answers 403/404 (400 for an id that is no thread id) when the person cannot open it. */
function isNoAccess(error: unknown): boolean {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return status === 400 || status === 403 || status === 404;
}

const isShown = (m: Message) => m.type === "text" || m.type === "html" || m.type === undefined;

export function ThreadView({ threadId }: { threadId: string }) {
  const chat = useChat(threadId);
  // The inbox learns a new thread from its creation event; the thread list query can still hold a
  // page fetched before the thread existed (a slow start), so it is only the fallback.
  const inboxTopic = useInbox().threads.find((t) => t.id === threadId)?.topic;
  const listTopic = useThreads().threads.find((t) => t.id === threadId)?.topic;
  const topic = inboxTopic || listTopic;
  const token = useAcsToken();
  const composerId = useId();
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const [draft, setDraftText] = useState("");
  const [editing, setEditing] = useState<{ id: string; content: string } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [held, setHeld] = useState<{ messageId: string; action: HeldAction } | null>(null);
  const heldRef = useRef(held);
  heldRef.current = held;
  const undoRef = useRef<HTMLButtonElement>(null);
  const scrollerRef = useRef<HTMLElement>(null);
  const stickToBottom = useRef(true);
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

  // The draft of this person in this thread survives leaving the thread (sessionStorage).
  const storageKey = token.acsUserId ? draftKey(token.acsUserId, threadId) : undefined;
  useEffect(() => {
    if (!storageKey) return;
    // Text typed before the key was known wins over an older stored draft.
    setDraftText((typed) => typed || loadDraft(browserDraftStorage(), storageKey));
  }, [storageKey]);
  function setDraft(text: string) {
    setDraftText(text);
    if (storageKey) saveDraft(browserDraftStorage(), storageKey, text);
  }

  // Read receipts: mark the newest message from someone else as read while the page is visible
  // (the thread list's unread counts are built on them), and again when the tab comes back.
  const newestOthers = [...chat.messages]
    .reverse()
    .find((m) => !m.mine && m.status === "sent" && !m.id.startsWith("local:"));
  const chatRef = useRef(chat);
  chatRef.current = chat;
  const newestOthersId = newestOthers?.id;
  useEffect(() => {
    if (!newestOthersId) return;
    const markRead = () => {
      if (document.visibilityState !== "visible") return;
      chatRef.current.markRead(newestOthersId).catch(() => undefined);
    };
    markRead();
    document.addEventListener("visibilitychange", markRead);
    return () => document.removeEventListener("visibilitychange", markRead);
  }, [newestOthersId]);

  // A held delete is sent when the person leaves: the page (pagehide, which unlike beforeunload
  // keeps the back/forward cache) or the thread (unmount).
  useEffect(() => {
    const flush = () => heldRef.current?.action.flush();
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, []);

  const visible = chat.messages.filter((m) => isShown(m) && !(held && m.id === held.messageId));
  const rows = messageRows(visible, new Date());
  const last = visible.at(-1);

  // Keep the newest message in view while the reader is at the bottom, and after sending.
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (scroller && (stickToBottom.current || last?.mine))
      scroller.scrollTop = scroller.scrollHeight;
    // The status too: a sent message grows its Edit/Delete row after the first scroll.
  }, [last?.id, last?.mine, last?.status, visible.length]);

  function send() {
    const content = draft.trim();
    if (!content) return;
    // Undefined while the thread is still opening: keep the draft.
    if (chat.send(content) !== undefined) setDraft("");
  }

  async function run(action: () => unknown) {
    setActionError(null);
    try {
      await action();
    } catch (e) {
      setActionError(describeError(e));
    }
  }

  function deleteLater(messageId: string) {
    heldRef.current?.action.flush();
    // The thread handle outlives this page, so a delete flushed on unmount still goes out.
    const current = chat;
    const action = holdAction(() => {
      setHeld((shown) => (shown?.messageId === messageId ? null : shown));
      void run(() => current.remove(messageId));
    }, UNDO_MS);
    setHeld({ messageId, action });
    // The message (and the button that had focus) is gone: the way back is Undo.
    requestAnimationFrame(() => undoRef.current?.focus());
  }

  function undo() {
    if (held?.action.undo()) {
      setHeld(null);
      composerRef.current?.focus();
    }
  }

  // Names from the thread's participant list (acs-client resolves them), never the sender's choice.
  const typing = chat.typingUsers.map((user) => user.name);
  const noAccess = chat.error != null && isNoAccess(chat.error);

  return (
    <div className="thread chat-thread-column">
      <div className="thread-header">
        <Link href="/chat" className="thread-back">
          ← Chats
        </Link>
        <h1>{topic ?? "Chat"}</h1>
        <span
          className="status"
          role="status"
          aria-label="Connection"
          data-connection={chat.connection}
        >
          {CONNECTION_WORDS[chat.connection]}
        </span>
        {!noAccess && (
          <ParticipantsPanel
            participants={chat.participants}
            add={(people) => run(() => chat.addParticipants(people))}
            remove={(acsUserId) => chat.removeParticipant(acsUserId)}
            selfAcsUserId={token.acsUserId}
          />
        )}
      </div>
      <ConnectionNotice status={token.status} error={token.lastError} />
      {chat.error != null &&
        (noAccess ? (
          <div role="alert" className="thread-state">
            <p>This chat does not exist, or you are no longer in it.</p>
            <p>
              <Link href="/chat">Back to Chats</Link>
            </p>
          </div>
        ) : (
          <div role="alert" className="thread-state">
            <p className="error">Could not open this chat: {describeError(chat.error)}</p>
            <p>
              <button type="button" onClick={() => window.location.reload()}>
                Try again
              </button>{" "}
              or <Link href="/chat">go back to Chats</Link>.
            </p>
          </div>
        ))}
      {/* Focusable so the keyboard can scroll it even when no message holds a link or button. */}
      <section
        aria-label="Messages"
        className="thread-scroll chat-thread-scroll"
        tabIndex={0}
        ref={scrollerRef}
        onScroll={(e) => {
          const el = e.currentTarget;
          stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
        }}
      >
        {chat.hasOlder && (
          <button
            type="button"
            className="secondary thread-older"
            onClick={() => void run(() => chat.loadOlder())}
          >
            Load older messages
          </button>
        )}
        {!chat.ready && chat.error == null && <p className="thread-state">Loading messages…</p>}
        {chat.ready && visible.length === 0 && (
          <p className="thread-state">No messages yet — say hello.</p>
        )}
        <ol
          className="thread-messages"
          aria-live="polite"
          aria-label="Message list"
          aria-busy={!chat.ready}
        >
          {rows.map((row) => {
            if (row.kind === "day") {
              return (
                <li key={row.key} className="day-separator">
                  <h2>{row.label}</h2>
                </li>
              );
            }
            const { message, startsGroup } = row;
            const name = message.mine ? "You" : message.senderName;
            return (
              <li
                key={message.clientMessageId ?? message.id}
                className={`message${message.mine ? " mine" : ""}${startsGroup ? " group-start" : ""}`}
                data-status={message.status}
              >
                {startsGroup && !message.mine ? (
                  <div className="message-sender">
                    <Avatar acsUserId={message.senderId} name={name} />
                    <strong data-testid="sender">{name}</strong>
                  </div>
                ) : (
                  <span className="visually-hidden">{name}: </span>
                )}
                <div className="message-bubble">
                  {message.deletedOn ? (
                    <p className="message-text muted">
                      <em>Message deleted</em>
                    </p>
                  ) : editing && editing.id === message.id ? (
                    <form
                      className="message-edit"
                      onSubmit={(e) => {
                        e.preventDefault();
                        const content = editing.content.trim();
                        setEditing(null);
                        if (content) void run(() => chat.edit(message.id, content));
                      }}
                    >
                      <label>
                        Edit message
                        <textarea
                          value={editing.content}
                          onChange={(e) => setEditing({ id: message.id, content: e.target.value })}
                        />
                      </label>
                      <div className="message-actions">
                        <button type="submit">Save</button>
                        <button
                          type="button"
                          className="secondary"
                          onClick={() => setEditing(null)}
                        >
                          Cancel
                        </button>
                      </div>
                    </form>
                  ) : (
                    <MessageText content={message.content} type={message.type} />
                  )}
                  <div className="meta">
                    <time
                      dateTime={message.createdOn.toISOString()}
                      title={fullDateTime(message.createdOn)}
                    >
                      {shortTime(message.createdOn)}
                    </time>
                    {message.editedOn && !message.deletedOn && <span>(edited)</span>}
                    {message.mine && !message.deletedOn && (
                      <span data-testid="delivery">{deliveryState(message)}</span>
                    )}
                  </div>
                </div>
                {message.mine && message.status === "failed" && message.clientMessageId && (
                  <div className="message-actions">
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => void run(() => chat.retry(message.clientMessageId!))}
                    >
                      Retry
                    </button>
                  </div>
                )}
                {message.mine &&
                  message.status === "sent" &&
                  !message.deletedOn &&
                  editing?.id !== message.id && (
                    <div className="message-actions">
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Edit message: ${message.content.slice(0, 40)}`}
                        onClick={() => setEditing({ id: message.id, content: message.content })}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Delete message: ${message.content.slice(0, 40)}`}
                        onClick={() => deleteLater(message.id)}
                      >
                        Delete
                      </button>
                    </div>
                  )}
              </li>
            );
          })}
        </ol>
      </section>
      <p aria-live="polite" className="thread-typing muted" data-testid="typing">
        {typing.length > 0
          ? `${typing.join(", ")} ${typing.length === 1 ? "is" : "are"} typing…`
          : ""}
      </p>
      <div role="status" className="thread-undo">
        {held && (
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
        <form
          className="thread-composer chat-thread-composer"
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          <label htmlFor={composerId} className="visually-hidden">
            Message
          </label>
          <textarea
            id={composerId}
            ref={composerRef}
            rows={1}
            value={draft}
            placeholder="Write a message"
            aria-describedby={`${composerId}-hint`}
            onChange={(e) => {
              setDraft(e.target.value);
              chat.sendTyping().catch(() => undefined);
            }}
            onKeyDown={(e) => {
              // Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition
              // (isComposing, or keyCode 229 in Safari) belongs to the input method.
              if (
                e.key === "Enter" &&
                !e.shiftKey &&
                !e.nativeEvent.isComposing &&
                e.nativeEvent.keyCode !== 229
              ) {
                e.preventDefault();
                send();
              }
            }}
          />
          <span id={`${composerId}-hint`} className="visually-hidden">
            Enter sends, Shift+Enter starts a new line.
          </span>
          <button type="submit" disabled={!chat.ready}>
            Send
          </button>
        </form>
      )}
    </div>
  );
}
