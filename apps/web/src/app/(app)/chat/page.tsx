import type { Metadata } from "next";
import { ThreadList } from "./thread-list";

export const metadata: Metadata = { title: "Chats" };

export default function ChatsPage() {
  return (
    <main>
      <h1>Chats</h1>
      <ThreadList />
    </main>
  );
}
