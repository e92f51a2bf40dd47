import "server-only";
// The signed-in user for pages and the tRPC route. A session signed in before the user's last
// "Sign out everywhere" (acs.token.revoke) no longer counts, although its JWT is still valid.
import { auth } from "./auth";
import { getDatabase } from "./db";
import type { SessionUser } from "./session-user";

export type CurrentUser =
  | { user: SessionUser; signedOutReason?: undefined }
  | { user: null; signedOutReason: "sign-in-required" | "revoked" };

export async function currentUser(): Promise<CurrentUser> {
  const session = await auth();
  if (!session?.user?.id) return { user: null, signedOutReason: "sign-in-required" };
  const user = { id: session.user.id, email: session.user.email ?? null, name: session.user.name ?? null };
  const revokedAt = await lastRevocation(user.id);
  if (revokedAt && session.signedInAt && revokedAt.getTime() >= session.signedInAt) {
    return { user: null, signedOutReason: "revoked" };
  }
  return { user };
}

/** From acs-server's audit trail (the database only: pages work while ACS is unreachable). */
async function lastRevocation(userId: string): Promise<Date | undefined> {
  const { orm } = await getDatabase();
  const row = await orm.query.auditEvents.findFirst({
    where: (event, { and, eq }) => and(eq(event.userId, userId), eq(event.action, "token.revoked")),
    orderBy: (event, { desc }) => desc(event.at),
    columns: { at: true },
  });
  return row?.at;
}
