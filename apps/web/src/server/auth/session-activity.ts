import "server-only";
// Whether a sign-in session is live, asked once per request (React `cache`) however many times the
// session is read while rendering; `sessionIsLiveNow` asks again (after a wait, e.g. tRPC's token.issue).
import { cache } from "react";
import { getSessionStore } from "../db";

export async function sessionIsLiveNow(sessionId: string, userId: string): Promise<boolean> {
  return (await getSessionStore()).isActive(sessionId, userId);
}

export const sessionIsLive = cache(sessionIsLiveNow);
