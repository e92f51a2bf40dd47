import { currentUser } from "~/server/session";
import { HEADER_PRESENCE_SLOT_ID } from "~/lib/presence-slot";
import { HeaderMenu } from "./header-menu";
import { SignOutButton } from "./sign-out-button";
import { SiteNav } from "./site-nav";

export async function SiteHeader() {
  const { user } = await currentUser();
  return (
    <header className="site">
      <SiteNav signedIn={!!user} />
      {user && (
        <HeaderMenu>
          {/* The status picker (client) is portalled in here by the signed-in layout's providers. */}
          <div id={HEADER_PRESENCE_SLOT_ID} className="header-presence" />
          <span className="who">{user.name ?? user.email}</span>
          <SignOutButton />
        </HeaderMenu>
      )}
    </header>
  );
}
