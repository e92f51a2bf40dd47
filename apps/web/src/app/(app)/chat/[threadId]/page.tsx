import type { Metadata } from "next";
import { ThreadView } from "./thread-view";

export const metadata: Metadata = { title: "Chat" };

export default async function ThreadPage({ params }: { params: Promise<{ threadId: string }> }) {
  const { threadId } = await params;
  return (
    // The full-height chat frame (globals.css, "Chat thread frame").
    <main className="chat-thread">
      <ThreadView threadId={decodeURIComponent(threadId)} />
    </main>
  );
}
