import Link from "next/link";
import { auth } from "~/server/auth";
import { SignOutButton } from "./sign-out-button";

export async function SiteHeader() {
  const session = await auth();
  return (
    <header className="site">
      <nav aria-label="Main">
        <Link href="/">acs-stack</Link>
        {session?.user && (
          <>
            <Link href="/chat">Chats</Link>
            <Link href="/account">Account</Link>
          </>
        )}
      </nav>
      {session?.user && (
        <>
          <span className="who">{session.user.name ?? session.user.email}</span>
          <SignOutButton />
        </>
      )}
    </header>
  );
}
