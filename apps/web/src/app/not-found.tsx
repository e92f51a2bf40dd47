import Link from "next/link";

export default function NotFound() {
  return (
    <main>
      <h1>Not found</h1>
      <p>
        There is nothing at this address. The chat may have been deleted, or the link is mistyped.
      </p>
      <p>
        <Link href="/chat">Your chats</Link> · <Link href="/">Start page</Link>
      </p>
    </main>
  );
}
