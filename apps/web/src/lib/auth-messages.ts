// Words shown to people for each authentication outcome. Shared by server actions and pages,
// so a code travels in a URL or a result and the text lives in one place.
export const AUTH_MESSAGES = {
  // One answer for an unknown email, a wrong password and a throttled attempt: none of them tells
  // whether an account exists.
  "invalid-credentials":
    "That email and password do not match an account. Check them and try again; after several failed attempts, wait 15 minutes.",
  "invalid-input": "Enter your email and password.",
  "email-taken": "An account with that email already exists. Sign in instead.",
  "sign-in-required": "Sign in to continue.",
  "session-expired": "Your session has ended. Sign in again to continue.",
  revoked:
    "You were signed out everywhere (your chat access was revoked). Sign in again to continue.",
  "signed-out-everywhere": "You signed out on every device and your chat tokens were revoked.",
  "identity-deleted": "Your ACS identity was deleted. Signing in again creates a new one.",
  "signed-out": "You are signed out.",
  unexpected: "Something went wrong on our side. Try again in a moment.",
} as const;

export type AuthMessageCode = keyof typeof AUTH_MESSAGES;

export function authMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  return code in AUTH_MESSAGES ? AUTH_MESSAGES[code as AuthMessageCode] : AUTH_MESSAGES.unexpected;
}
