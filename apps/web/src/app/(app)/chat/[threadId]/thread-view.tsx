"use client";
import { useAcsToken, useChat, useThreads } from "@acs-stack/acs-client/react";
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { registerUnsentSource } from "~/lib/acs-session";
import { describeError } from "~/lib/errors";
import { ConnectionNotice } from "../../../_components/connection-notice";
import { ParticipantsPanel } from "./participants-panel";

const CONNECTION_WORDS = {
  live: "Live",
  polling: "Polling (live updates unavailable)",
  reconnecting: "Reconnecting…",
  offline: "Offline: messages wait and send when you are back",
} as const;

type Chat = ReturnType<typeof useChat>;
type Message = Chat["messages"][number];

function deliveryState(message: Message): string {
  if (message.status === "pending") return "Sending…";
  if (message.status === "failed") return "Not sent";
  return message.readBy.length > 0 ? "Read" : "Sent";
}

export function ThreadView({ threadId }: { threadId: string }) {
  const chat = useChat(threadId);
  const topic = useThreads().threads.find((t) => t.id === threadId)?.topic;
  const token = useAcsToken();
  const composerId = useId();
  const [draft, setDraft] = useState("");
  const [editing, setEditing] = useState<{ id: string; content: string } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
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

  // Read receipts: mark the newest message from someone else as read while the page is visible.
  const newestOthers = [...chat.messages]
    .reverse()
    .find((m) => !m.mine && m.status === "sent" && !m.id.startsWith("local:"));
  const chatRef = useRef(chat);
  chatRef.current = chat;
  const newestOthersId = newestOthers?.id;
  useEffect(() => {
    if (!newestOthersId || document.visibilityState !== "visible") return;
    chatRef.current.markRead(newestOthersId).catch(() => undefined);
  }, [newestOthersId]);

  // Keep the newest message in view.
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [chat.messages.length]);

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

  // Names from the thread's participant list (acs-client resolves them), never the sender's choice.
  const typing = chat.typingUsers.map((user) => user.name);

  return (
    <div className="stack">
      <p>
        <Link href="/chat">← All chats</Link>
      </p>
      <div style={{ display: "flex", gap: "1rem", alignItems: "center", flexWrap: "wrap" }}>
        <h1 style={{ margin: 0 }}>{topic ?? "Chat"}</h1>
        <span
          className="status"
          role="status"
          aria-label="Connection"
          data-connection={chat.connection}
        >
          {CONNECTION_WORDS[chat.connection]}
        </span>
      </div>
      <ConnectionNotice status={token.status} error={token.lastError} />
      {chat.error ? (
        <p role="alert" className="error">
          {describeError(chat.error)}
        </p>
      ) : null}
      <div className="chat">
        <section aria-label="Messages">
          {chat.hasOlder && (
            <button
              type="button"
              className="secondary"
              onClick={() => void run(() => chat.loadOlder())}
            >
              Load older messages
            </button>
          )}
          {!chat.ready && <p className="muted">Loading messages…</p>}
          <ol
            className="messages"
            ref={listRef}
            aria-live="polite"
            aria-label="Message list"
            aria-busy={!chat.ready}
          >
            {chat.messages
              .filter((m) => m.type === "text" || m.type === "html" || m.type === undefined)
              .map((message) => (
                <li
                  key={message.clientMessageId ?? message.id}
                  className={message.mine ? "mine" : undefined}
                  data-status={message.status}
                >
                  <div className="meta">
                    <strong>{message.mine ? "You" : message.senderName}</strong>
                    <time dateTime={message.createdOn.toISOString()}>
                      {message.createdOn.toLocaleTimeString()}
                    </time>
                    {message.editedOn && !message.deletedOn && <span>(edited)</span>}
                    {message.mine && !message.deletedOn && (
                      <span data-testid="delivery">{deliveryState(message)}</span>
                    )}
                  </div>
                  {message.deletedOn ? (
                    <p className="muted">
                      <em>Message deleted</em>
                    </p>
                  ) : editing && editing.id === message.id ? (
                    <form
                      className="composer"
                      onSubmit={(e) => {
                        e.preventDefault();
                        const content = editing.content.trim();
                        setEditing(null);
                        if (content) void run(() => chat.edit(message.id, content));
                      }}
                    >
                      <label style={{ flex: 1 }}>
                        Edit message
                        <textarea
                          value={editing.content}
                          onChange={(e) => setEditing({ id: message.id, content: e.target.value })}
                        />
                      </label>
                      <button type="submit">Save</button>
                      <button type="button" className="secondary" onClick={() => setEditing(null)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <p style={{ margin: "0.25rem 0", whiteSpace: "pre-wrap" }}>{message.content}</p>
                  )}
                  {message.mine && message.status === "failed" && message.clientMessageId && (
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => void run(() => chat.retry(message.clientMessageId!))}
                    >
                      Retry
                    </button>
                  )}
                  {message.mine &&
                    message.status === "sent" &&
                    !message.deletedOn &&
                    editing?.id !== message.id && (
                      <span style={{ display: "inline-flex", gap: "0.5rem" }}>
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
                          onClick={() => void run(() => chat.remove(message.id))}
                        >
                          Delete
                        </button>
                      </span>
                    )}
                </li>
              ))}
          </ol>
          <p
            aria-live="polite"
            className="muted"
            data-testid="typing"
            style={{ minHeight: "1.5em" }}
          >
            {typing.length > 0
              ? `${typing.join(", ")} ${typing.length === 1 ? "is" : "are"} typing…`
              : ""}
          </p>
          {actionError && (
            <p role="alert" className="error">
              {actionError}
            </p>
          )}
          <form
            className="composer"
            onSubmit={(e) => {
              e.preventDefault();
              send();
            }}
          >
            <label
              htmlFor={composerId}
              className="visually-hidden"
              style={{ position: "absolute", left: "-9999px" }}
            >
              Message
            </label>
            <textarea
              id={composerId}
              value={draft}
              placeholder="Write a message (Enter sends, Shift+Enter for a new line)"
              onChange={(e) => {
                setDraft(e.target.value);
                chat.sendTyping().catch(() => undefined);
              }}
              onKeyDown={(e) => {
                if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  send();
                }
              }}
            />
            <button type="submit" disabled={!chat.ready}>
              Send
            </button>
          </form>
        </section>
        <ParticipantsPanel
          participants={chat.participants}
          add={(people) => run(() => chat.addParticipants(people))}
          remove={(acsUserId) => run(() => chat.removeParticipant(acsUserId))}
          selfAcsUserId={token.acsUserId}
        />
      </div>
    </div>
  );
}
