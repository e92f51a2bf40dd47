"use client";
import { useAcsToken, useInbox, useThreads } from "@acs-stack/acs-client/react";
import type { InboxThread } from "@acs-stack/acs-client/react";
import Link from "next/link";
import { describeError } from "~/lib/errors";
import { formatShortTime } from "~/lib/short-time";
import { ConnectionNotice } from "../../_components/connection-notice";
import { NewChatDialog } from "./new-chat-dialog";
import "./thread-list.css";

const PREVIEW_CHARS = 80;

/** The start of a message as plain text (html messages lose their tags; React escapes the rest). */
function preview(text: string): string {
  const plain = text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > PREVIEW_CHARS ? `${plain.slice(0, PREVIEW_CHARS - 1)}…` : plain;
}

function unreadWords(thread: InboxThread): { badge: string; name: string } {
  const count = `${thread.unread}${thread.unreadMore ? "+" : ""}`;
  const noun = thread.unread === 1 && !thread.unreadMore ? "message" : "messages";
  return { badge: count, name: `${count} unread ${noun}` };
}

function ThreadItem({ thread, now }: { thread: InboxThread; now: Date }) {
  const last = thread.lastMessage;
  const when = last?.createdOn ?? thread.lastActivity;
  const unread = thread.unread > 0 ? unreadWords(thread) : undefined;
  return (
    <li>
      <Link
        href={`/chat/${encodeURIComponent(thread.id)}`}
        className="thread-item"
        data-unread={unread ? "true" : undefined}
      >
        <span className="thread-item-topic">{thread.topic || "Untitled chat"}</span>
        {when && (
          <time className="thread-item-time" dateTime={when.toISOString()}>
            {formatShortTime(when, now)}
          </time>
        )}
        <span className="thread-item-preview">
          {last ? (
            <>
              <span className="thread-item-sender">{last.mine ? "You" : last.senderName}:</span>{" "}
              {preview(last.text)}
            </>
          ) : (
            "No messages yet"
          )}
        </span>
        {unread && (
          <span className="unread-badge" role="img" aria-label={unread.name}>
            {unread.badge}
          </span>
        )}
      </Link>
    </li>
  );
}

export function ThreadList() {
  const token = useAcsToken();
  // Starting a chat; the list itself comes from the live inbox.
  const threads = useThreads();
  const inbox = useInbox();
  const now = new Date();
  return (
    <div className="stack">
      <ConnectionNotice status={token.status} error={token.lastError} />
      <NewChatDialog startChat={(input) => threads.startChat(input)} />
      {inbox.error != null && (
        <p role="alert" className="error">
          {describeError(inbox.error)} The list may be out of date; it updates again on its own.
        </p>
      )}
      {!inbox.ready ? (
        <p className="muted" role="status">
          Loading your chats…
        </p>
      ) : inbox.threads.length === 0 ? (
        <p className="muted">No chats yet. Start one with “New chat”.</p>
      ) : (
        <ul className="thread-list" aria-label="Your chats">
          {inbox.threads.map((thread) => (
            <ThreadItem key={thread.id} thread={thread} now={now} />
          ))}
        </ul>
      )}
    </div>
  );
}
