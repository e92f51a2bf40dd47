import type { Metadata } from "next";
import { currentUser } from "~/server/session";
import { AccountView } from "./account-view";
import { NotificationSettings } from "./notification-settings";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  // The signed-in layout has already required a user (currentUser is cached per request).
  const { user } = await currentUser();
  return (
    <main>
      <h1>Your ACS identity</h1>
      <AccountView />
      {user && <NotificationSettings userId={user.id} />}
    </main>
  );
}
