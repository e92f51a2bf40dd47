// Words shown to people for each authentication outcome. Shared by server actions and pages,
// so a code travels in a URL or a result and the text lives in one place.
export const AUTH_MESSAGES = {
  "unknown-email": "No account uses that email. Check it, or create an account below.",
  "wrong-password": "That password is not right. Try again.",
  locked: "Too many failed attempts. Wait a few minutes, then try again.",
  "invalid-input": "Enter your email and password.",
  "email-taken": "An account with that email already exists. Sign in instead.",
  "sign-in-required": "Sign in to continue.",
  "session-expired": "Your session has ended. Sign in again to continue.",
  revoked: "You were signed out everywhere (your chat access was revoked). Sign in again to continue.",
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
