"use client";
import { useAcsToken, useThreads } from "@acs-stack/acs-client/react";
import Link from "next/link";
import { describeError } from "~/lib/errors";
import { ConnectionNotice } from "../../_components/connection-notice";
import { NewChatDialog } from "./new-chat-dialog";

export function ThreadList() {
  const token = useAcsToken();
  const threads = useThreads();
  // Newest activity first.
  const sorted = threads.threads
    .filter((t) => !t.deletedOn)
    .sort(
      (a, b) =>
        (b.lastMessageReceivedOn?.getTime() ?? 0) - (a.lastMessageReceivedOn?.getTime() ?? 0),
    );
  return (
    <div className="stack">
      <ConnectionNotice status={token.status} error={token.lastError} />
      <NewChatDialog startChat={(input) => threads.startChat(input)} />
      {threads.error != null && (
        <p role="alert" className="error">
          {describeError(threads.error)}
        </p>
      )}
      {threads.isLoading ? (
        <p className="muted">Loading your chats…</p>
      ) : sorted.length === 0 ? (
        <p className="muted">No chats yet. Start one with “New chat”.</p>
      ) : (
        <ul className="threads" aria-label="Your chats">
          {sorted.map((thread) => (
            <li key={thread.id}>
              <Link href={`/chat/${encodeURIComponent(thread.id)}`}>
                <strong>{thread.topic || "Untitled chat"}</strong>
                {thread.lastMessageReceivedOn && (
                  <span className="muted"> · {thread.lastMessageReceivedOn.toLocaleString()}</span>
                )}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
