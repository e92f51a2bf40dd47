export const metadata = { title: "Chats" };

export default function ChatsPage() {
  return (
    <main>
      <h1>Chats</h1>
    </main>
  );
}
