import Link from "next/link";

/** The header's main navigation: the brand, and the app's pages once signed in. */
export function SiteNav({ signedIn }: { signedIn: boolean }) {
  return (
    <nav aria-label="Main">
      <Link href="/" className="brand">
        acs-stack
      </Link>
      {signedIn && (
        <>
          <Link href="/chat">Chats</Link>
          <Link href="/account">Account</Link>
        </>
      )}
    </nav>
  );
}
