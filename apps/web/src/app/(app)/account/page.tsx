import { DISPLAY_NAME_MAX } from "@acs-stack/acs-server";
import type { Metadata } from "next";
import { serverCaller } from "~/server/acs";
import { ENTRA_PROVIDER_ID, entraSettings } from "~/server/entra/settings";
import { currentUser } from "~/server/session";
import { AccountView } from "./account-view";
import { DisplayNameForm } from "./display-name-form";
import { NotificationSettings } from "./notification-settings";
import { TeamsIdentity } from "./teams-identity";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  // The signed-in layout has already required a user (currentUser is cached per request).
  const { user } = await currentUser();
  // Only a session signed in with Entra ID has an Entra token to exchange (server/entra/teams-user-token.ts).
  const teams = !!entraSettings()?.teams && user?.signInProvider === ENTRA_PROVIDER_ID;
  const profile = user ? await (await serverCaller(user)).profile.get() : null;
  return (
    <main>
      <h1>Your ACS identity</h1>
      <AccountView />
      {teams && <TeamsIdentity />}
      {profile && <DisplayNameForm current={profile.displayName} max={DISPLAY_NAME_MAX} />}
      {user && <NotificationSettings userId={user.id} />}
    </main>
  );
}
