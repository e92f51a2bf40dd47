import type { Metadata } from "next";
import { ThreadView } from "./thread-view";

export const metadata: Metadata = { title: "Chat" };

export default async function ThreadPage({ params }: { params: Promise<{ threadId: string }> }) {
  const { threadId } = await params;
  return (
    <main>
      <ThreadView threadId={decodeURIComponent(threadId)} />
    </main>
  );
}
