import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { currentUser } from "~/server/session";
import { AppProviders } from "../_components/app-providers";
import { MessageNotifier } from "../_components/message-notifier";
import { UnreadTitle } from "../_components/unread-title";

export const dynamic = "force-dynamic";

/** Every page in here needs a signed-in user; without one, the start page explains why. */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const { user, signedOutReason } = await currentUser();
  if (!user) redirect(`/?reason=${signedOutReason}`);
  return (
    <AppProviders userId={user.id} displayName={user.name ?? user.email ?? "Me"}>
      {/* Live on every signed-in page: the unread count in the tab title, and notifications. */}
      <UnreadTitle />
      <MessageNotifier userId={user.id} />
      {children}
    </AppProviders>
  );
}
