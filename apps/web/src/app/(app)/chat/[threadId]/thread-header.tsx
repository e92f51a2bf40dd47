"use client";
// The thread's header: back to Chats, the topic, the connection state and the participants sheet.
import type { ConnectionState } from "@acs-stack/acs-client/react";
import Link from "next/link";
import type { ComponentProps } from "react";
import { ParticipantsPanel } from "./participants-panel";

const CONNECTION_WORDS = {
  live: "Live",
  polling: "Polling (live updates unavailable)",
  reconnecting: "Reconnecting…",
  offline: "Offline: messages wait and send when you are back",
} as const satisfies Record<ConnectionState, string>;

export function ThreadHeader({
  topic,
  connection,
  participants,
}: {
  topic: string | undefined;
  connection: ConnectionState;
  /** The participants sheet, or nothing when the person has no access to the thread. */
  participants: ComponentProps<typeof ParticipantsPanel> | null;
}) {
  return (
    <div className="thread-header">
      <Link href="/chat" className="thread-back">
        ← Chats
      </Link>
      <h1>{topic ?? "Chat"}</h1>
      <span className="status" role="status" aria-label="Connection" data-connection={connection}>
        {CONNECTION_WORDS[connection]}
      </span>
      {participants && <ParticipantsPanel {...participants} />}
    </div>
  );
}
