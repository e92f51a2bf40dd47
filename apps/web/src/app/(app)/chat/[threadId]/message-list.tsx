"use client";
// The thread's scrolling message list: "Load older", loading and empty states, day separators, and
// the messages (message-item.tsx). It keeps the newest message in view while the reader is at the
// bottom, and after sending.
import type { ChatMessageView } from "@acs-stack/acs-client/react";
import { useLayoutEffect, useRef, useState } from "react";
import { messageRows } from "~/lib/message-groups";
import { MessageItem, type Editing, type MessageActions } from "./message-item";

export function MessageList({
  messages,
  open,
  failed,
  hasOlder,
  loadOlder,
  actions,
}: {
  /** The messages to show, oldest first. */
  messages: readonly ChatMessageView[];
  /** The thread is open (its first page of history is loaded). */
  open: boolean;
  /** The thread cannot be opened (the page says why). */
  failed: boolean;
  hasOlder: boolean;
  loadOlder: () => void;
  actions: MessageActions;
}) {
  const [editing, setEditing] = useState<Editing | null>(null);
  const scrollerRef = useRef<HTMLElement>(null);
  const stickToBottom = useRef(true);
  const rows = messageRows(messages, new Date());
  const last = messages.at(-1);

  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (scroller && (stickToBottom.current || last?.mine))
      scroller.scrollTop = scroller.scrollHeight;
    // The status too: a sent message grows its Edit/Delete row after the first scroll.
  }, [last?.id, last?.mine, last?.status, messages.length]);

  return (
    // Focusable so the keyboard can scroll it even when no message holds a link or button.
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
      {hasOlder && (
        <button type="button" className="secondary thread-older" onClick={loadOlder}>
          Load older messages
        </button>
      )}
      {!open && !failed && <p className="thread-state">Loading messages…</p>}
      {open && messages.length === 0 && (
        <p className="thread-state">No messages yet — say hello.</p>
      )}
      <ol
        className="thread-messages"
        aria-live="polite"
        aria-label="Message list"
        aria-busy={!open}
      >
        {rows.map((row) =>
          row.kind === "day" ? (
            <li key={row.key} className="day-separator">
              <h2>{row.label}</h2>
            </li>
          ) : (
            <MessageItem
              key={row.message.clientMessageId ?? row.message.id}
              message={row.message}
              startsGroup={row.startsGroup}
              editing={editing}
              setEditing={setEditing}
              actions={actions}
            />
          ),
        )}
      </ol>
    </section>
  );
}
