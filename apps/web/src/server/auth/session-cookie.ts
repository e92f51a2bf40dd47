// next-auth's session cookie names (`__Secure-` on https; split into `.0`, `.1`… when large). Read by
// currentUser() (server/session.ts) and by the start page, which only asks whether one is present.
export const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

export const isSessionCookie = (name: string): boolean => SESSION_COOKIE.test(name);
