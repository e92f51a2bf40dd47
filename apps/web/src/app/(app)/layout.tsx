import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { auth } from "~/server/auth";
import { AppProviders } from "../_components/app-providers";

export const dynamic = "force-dynamic";

/** Every page in here needs a signed-in user; without one, the start page explains why. */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const session = await auth();
  if (!session?.user?.id) redirect("/?reason=sign-in-required");
  return <AppProviders userId={session.user.id}>{children}</AppProviders>;
}
