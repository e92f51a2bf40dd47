// The session JWT's lifecycle, as the next-auth `jwt` callback runs it: a sign-in starts a row in
// acs-server's `auth_sessions` and puts its id (`sid`) in the token; every later read keeps the token
// only while that row is live. Returning null makes @auth/core drop the session and clear the cookie
// (node_modules/@auth/core/lib/actions/session.js), so every entry point (pages, server actions,
// route handlers, /api/auth/session, tRPC) sees an ended session as no session.
import type { JWT } from "next-auth/jwt";

export interface SessionTokenStore {
  create(userId: string, details?: { userAgent?: string | null }): Promise<{ id: string }>;
  isActive(sessionId: string, userId: string): Promise<boolean>;
}

/** A sign-in that just happened: the app user it resolved to. */
export interface NewSignIn {
  userId: string;
  userAgent?: string | null;
}

export async function resolveSessionToken(
  token: JWT,
  signIn: NewSignIn | undefined,
  sessions: SessionTokenStore,
): Promise<JWT | null> {
  if (signIn) {
    const session = await sessions.create(signIn.userId, { userAgent: signIn.userAgent });
    return { ...token, sub: signIn.userId, sid: session.id };
  }
  // Tokens without a session id predate per-session rows (or were forged without one): not a session.
  if (!token.sub || typeof token.sid !== "string") return null;
  return (await sessions.isActive(token.sid, token.sub)) ? token : null;
}
