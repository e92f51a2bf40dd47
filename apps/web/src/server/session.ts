import "server-only";
// The signed-in user for pages, server actions and the tRPC route, read once per request. `auth()`
// already refuses an ended session (see auth/session-token.ts), so this only names why there is none.
import { cookies } from "next/headers";
import type { SessionUser } from "@acs-stack/acs-server/contract";
import { cache } from "react";
import { auth } from "./auth";
import { isSessionCookie } from "./auth/session-cookie";

export type CurrentUser =
  | {
      user: SessionUser & { sessionId: string; signInProvider: string | null };
      signedOutReason?: undefined;
    }
  | { user: null; signedOutReason: "sign-in-required" | "revoked" };

export const currentUser = cache(async (): Promise<CurrentUser> => {
  const session = await auth();
  if (session?.user?.id && session.sessionId) {
    const { id, email, name } = session.user;
    const signInProvider = session.signInProvider ?? null;
    return {
      user: {
        id,
        email: email ?? null,
        name: name ?? null,
        sessionId: session.sessionId,
        signInProvider,
      },
    };
  }
  // A session cookie that no longer counts: its session was ended ("Sign out everywhere").
  const hasSessionCookie = (await cookies())
    .getAll()
    .some((cookie) => isSessionCookie(cookie.name));
  return { user: null, signedOutReason: hasSessionCookie ? "revoked" : "sign-in-required" };
});
