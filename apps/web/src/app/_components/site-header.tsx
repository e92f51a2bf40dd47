import Link from "next/link";
import { currentUser } from "~/server/session";
import { SignOutButton } from "./sign-out-button";

export async function SiteHeader() {
  const { user } = await currentUser();
  return (
    <header className="site">
      <nav aria-label="Main">
        <Link href="/">acs-stack</Link>
        {user && (
          <>
            <Link href="/chat">Chats</Link>
            <Link href="/account">Account</Link>
          </>
        )}
      </nav>
      {user && (
        <>
          <span className="who">{user.name ?? user.email}</span>
          <SignOutButton />
        </>
      )}
    </header>
  );
}
